/// Every service and every message that crosses a service boundary. Each later capability adds
/// its contracts here, and the AsyncAPI document (`docs/asyncapi.json`) is generated from it.
public enum Catalog {
    /// The services of the system, by the name used in queues, routing keys and database names.
    public static let services = ["registration", "orchestrator", "cartable", "tariff", "ledger", "billing", "reports"]

    public static let messages: [any MessageContract.Type] = [
        Ping.self, Pong.self, DeployProcess.self, ProcessDeployed.self, StartProcess.self, CompleteJob.self, WorkerJob.self,
        ProcessStarted.self, ProcessCompleted.self, ProcessTerminated.self, CompleteTask.self, AssignTask.self, FailJob.self,
        ThrowError.self, ResolveIncident.self, CancelInstance.self, SetVariables.self, CorrelateMessage.self, BroadcastSignal.self,
        TaskCreated.self, TaskAssigned.self, TaskCompleted.self, TaskCancelled.self, IncidentRaised.self, IncidentResolved.self,
        GetInstance.self, InstanceDetails.self, FindInstances.self, InstanceList.self,
        ListStartableProcesses.self, StartableProcesses.self, GetProcessDefinition.self, ProcessDefinition.self,
        RegisterCustomer.self, UpdateCustomer.self, CustomerRegistered.self, CustomerUpdated.self, CommandRefused.self,
        FindCustomers.self, CustomerList.self, GetCustomer.self, CustomerRecord.self,
        ReceiveMeter.self, RequestConnection.self, CreateSubscription.self, InstallMeter.self, RemoveMeter.self, ReplaceMeter.self,
        RelocateMeter.self, ChangeOwnership.self, RecordInspection.self, ActivateSubscription.self, SuspendSubscription.self,
        ReconnectSubscription.self, TerminateSubscription.self,
        MeterReceived.self, ConnectionRequested.self, SubscriptionCreated.self, MeterInstalled.self, MeterRemoved.self, MeterRelocated.self,
        OwnershipChanged.self, InspectionRecorded.self, SubscriptionStatusChanged.self, GetMeter.self, MeterRecord.self,
        ImportCustomers.self, CustomersImported.self, ChangeMeterStatus.self, MeterStatusChanged.self,
        CreateTariff.self, PublishTariffVersion.self, RetireTariff.self, TariffCreated.self, TariffVersionPublished.self, TariffRetired.self,
        TariffCommandRefused.self, FindTariffs.self, TariffList.self, GetTariff.self, TariffRecord.self, GetVersionInForce.self, VersionInForce.self,
        PriceConsumption.self, PricedConsumption.self, PriceBatch.self, PricedBatch.self,
        OpenAccount.self, OpenSubscriptionAccounts.self, PostBillCharges.self, RecordPayments.self, TakeDeposit.self, ReturnDeposit.self, RefundCredit.self,
        Adjust.self, OpenDispute.self, ResolveDispute.self, WriteOff.self, ReverseEntry.self,
        PaymentReceived.self, BalanceChanged.self, DisputeOpened.self, DisputeResolved.self, LedgerCommandRefused.self,
        GetBalance.self, Balances.self, GetStatement.self, Statement.self, GetOpenItems.self, OpenItems.self, GetAgeing.self, AgeingReport.self,
        FindDebtors.self, Debtors.self, GetDispute.self, DisputeRecord.self, CheckLedger.self, LedgerCheck.self, GetBalances.self,
        RecordReadings.self, RecordIntervals.self, CorrectReading.self, StartBillingRun.self, BillChunk.self, CancelBill.self, ReadingReview.self,
        ReadingsChecked.self, BillIssued.self, BillCancelled.self, RunCompleted.self, BillingCommandRefused.self,
        GetBill.self, BillRecord.self, FindBills.self, BillList.self, GetRun.self, RunStatus.self, GetReadings.self, ReadingList.self,
        RunReport.self, ReportTable.self, RebuildReports.self, ReportsRebuilt.self,
    ]

    /// The contract for a wire type such as `registration.register-customer.v1`.
    public static func contract(forType type: String) -> (any MessageContract.Type)? {
        messages.first { $0.type == type }
    }
}
