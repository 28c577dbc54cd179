import Contracts

/// The subjects of reports and their fields: the whole of what a report may name. The finance
/// subjects are finance's and billing's, the workflow's are supervisors', the records' are the
/// customer office's; managers read them all.
public enum ReportCatalog {
    public static let subjects: [ReportSubject] = [subscriptions, customers, meters, bills, payments, balances, disputes, tasks, processes, readings]

    public static func subject(_ name: String) -> ReportSubject? { subjects.first { $0.name == name } }

    static let office: Set<String> = ["manager", "registration-clerk", "billing-officer", "finance", "supervisor"]
    static let money: Set<String> = ["manager", "finance", "billing-officer"]
    static let workflow: Set<String> = ["manager", "supervisor"]
    static let meterShop: Set<String> = ["manager", "meter-lab", "field-technician", "registration-clerk", "supervisor"]

    static let utilities = Utility.allCases.map(\.rawValue)
    static let useTypes = UseType.allCases.map(\.rawValue)

    static let subscriptions = ReportSubject(
        name: "subscriptions", title: "Subscriptions", table: "subscriptions s", rows: "Subscriptions",
        fields: [
            ReportField("subscription", "Subscription", .text, "s.subscription_number"),
            ReportField("customer", "Customer", .text, "s.customer_number"),
            ReportField("utility", "Utility", .text, "s.utility", values: utilities),
            ReportField("region", "Region", .text, "s.region"),
            ReportField("useType", "Use type", .text, "s.use_type", values: useTypes),
            ReportField("tariff", "Tariff", .text, "s.tariff_code"),
            ReportField("billingCycle", "Billing cycle", .text, "s.billing_cycle"),
            ReportField("status", "Status", .text, "s.status", values: SubscriptionStatus.allCases.map(\.rawValue)),
            ReportField("started", "Started", .date, "s.start_date"),
        ],
        readers: office)

    static let customers = ReportSubject(
        name: "customers", title: "Customers", table: "customers c", rows: "Customers",
        fields: [
            ReportField("customer", "Customer", .text, "c.customer_number"),
            ReportField("kind", "Person or organisation", .text, "c.kind", values: ["person", "organisation"]),
            ReportField("city", "City", .text, "c.city"),
            ReportField("language", "Preferred language", .text, "c.language"),
            ReportField("registered", "Registered", .date, "c.registered_on"),
            ReportField("subscriptions", "Subscriptions", .integer, "(SELECT count(*) FROM subscriptions x WHERE x.customer_number = c.customer_number)"),
        ],
        readers: office)

    static let meters = ReportSubject(
        name: "meters", title: "Meters", table: "meters m", rows: "Meters",
        fields: [
            ReportField("meter", "Meter", .text, "m.manufacturer || ' ' || m.serial_number"),
            ReportField("manufacturer", "Manufacturer", .text, "m.manufacturer"),
            ReportField("model", "Model", .text, "m.model"),
            ReportField("utility", "Utility", .text, "m.utility", values: utilities),
            ReportField("status", "Status", .text, "m.status", values: MeterStatus.allCases.map(\.rawValue)),
            ReportField("region", "Region", .text, "m.region"),
            ReportField("yearOfManufacture", "Year of manufacture", .integer, "m.year_of_manufacture"),
            ReportField("age", "Age in years", .integer, "extract(year FROM current_date)::int - m.year_of_manufacture"),
            ReportField("nextTestDue", "Next test due", .date, "m.next_test_due"),
            ReportField(
                "testDue", "Test due", .text,
                "CASE WHEN m.next_test_due IS NULL THEN 'unknown' WHEN m.next_test_due < current_date THEN 'overdue' "
                    + "WHEN m.next_test_due < current_date + 90 THEN 'within 90 days' ELSE 'later' END",
                values: ["overdue", "within 90 days", "later", "unknown"]),
            ReportField("lastTested", "Last tested", .date, "m.last_tested_on"),
            ReportField("lastTestPassed", "Last test passed", .boolean, "m.last_test_passed"),
        ],
        readers: meterShop)

    /// What is still owed of a bill in force: its charges less what payments settled of it.
    static let open = "CASE WHEN b.status = 'issued' THEN greatest(b.charges - b.settled, 0) ELSE 0 END"

    static let bills = ReportSubject(
        name: "bills", title: "Bills", table: "bills b", rows: "Bills",
        fields: [
            ReportField("bill", "Bill", .text, "b.bill_id"),
            ReportField("kind", "Kind", .text, "b.kind", values: BillKind.allCases.map(\.rawValue)),
            ReportField("status", "Status", .text, "b.status", values: BillStatus.allCases.map(\.rawValue)),
            ReportField("subscription", "Subscription", .text, "b.subscription_number"),
            ReportField("customer", "Customer", .text, "b.customer_number"),
            ReportField("utility", "Utility", .text, "b.utility", values: utilities),
            ReportField("region", "Region", .text, "b.region"),
            ReportField("useType", "Use type", .text, "b.use_type", values: useTypes),
            ReportField("tariff", "Tariff", .text, "b.tariff_code"),
            ReportField("currency", "Currency", .text, "b.currency"),
            ReportField("issued", "Issued", .date, "b.issued_on"),
            ReportField("due", "Due", .date, "b.due_on"),
            ReportField("periodEnd", "Period end", .date, "b.period_to"),
            ReportField("estimated", "Estimated", .boolean, "b.estimated"),
            ReportField("charges", "Billed amount", .money, "b.charges"),
            ReportField("amountDue", "Amount due", .money, "b.amount_due"),
            ReportField("consumption", "Consumption", .number, "b.consumption"),
            ReportField("settled", "Paid", .money, "b.settled"),
            ReportField("open", "Open amount", .money, open),
            ReportField(
                "ageBand", "Age of debt", .text,
                "CASE WHEN \(open) <= 0 THEN 'settled' WHEN current_date <= b.due_on THEN 'not yet due' "
                    + "WHEN current_date - b.due_on <= 30 THEN '1-30 days' WHEN current_date - b.due_on <= 60 THEN '31-60 days' "
                    + "WHEN current_date - b.due_on <= 90 THEN '61-90 days' ELSE 'over 90 days' END",
                values: ["settled", "not yet due", "1-30 days", "31-60 days", "61-90 days", "over 90 days"]),
        ],
        readers: money,
        summary: ReportSummary(
            title: "bills by month", table: "bill_months b", countColumn: "b.bills",
            // The summary keeps an unknown value as '' (a key has no nulls); it reads back as null.
            fields: [
                "kind": "nullif(b.kind, '')", "status": "nullif(b.status, '')", "utility": "nullif(b.utility, '')", "region": "nullif(b.region, '')",
                "useType": "nullif(b.use_type, '')", "tariff": "nullif(b.tariff_code, '')", "currency": "nullif(b.currency, '')", "issued": "b.month",
            ],
            sums: ["charges": "b.charges", "amountDue": "b.amount_due", "consumption": "b.consumption"]),
        condition: "b.issued_on IS NOT NULL")

    static let payments = ReportSubject(
        name: "payments", title: "Payments", table: "payments p", rows: "Payments",
        fields: [
            ReportField("payment", "Payment", .text, "p.payment_id"),
            ReportField("subscription", "Subscription", .text, "p.subscription_number"),
            ReportField("customer", "Customer", .text, "p.customer_number"),
            ReportField("region", "Region", .text, "p.region"),
            ReportField("utility", "Utility", .text, "p.utility", values: utilities),
            ReportField("channel", "Payment channel", .text, "p.channel", values: PaymentChannel.allCases.map(\.rawValue)),
            ReportField("currency", "Currency", .text, "p.currency"),
            ReportField("valueDate", "Value date", .date, "p.value_date"),
            ReportField("amount", "Amount", .money, "p.amount"),
            ReportField("credited", "To credit", .money, "p.credited"),
        ],
        readers: money)

    static let balances = ReportSubject(
        name: "balances", title: "Balances", table: "balances a", rows: "Accounts",
        fields: [
            ReportField("subscription", "Subscription", .text, "a.subscription_number"),
            ReportField("customer", "Customer", .text, "a.customer_number"),
            ReportField("region", "Region", .text, "a.region"),
            ReportField("utility", "Utility", .text, "a.utility", values: utilities),
            ReportField("useType", "Use type", .text, "a.use_type", values: useTypes),
            ReportField("currency", "Currency", .text, "a.currency"),
            ReportField("asOf", "As of", .date, "a.as_of"),
            ReportField("due", "Due", .money, "a.due"),
            ReportField("overdue", "Overdue", .money, "a.overdue"),
            ReportField("held", "Held in dispute", .money, "a.held"),
            ReportField("credit", "Credit", .money, "a.credit"),
            ReportField("deposit", "Deposit", .money, "a.deposit"),
            ReportField("inDebt", "In debt", .boolean, "a.due > 0"),
        ],
        readers: money)

    static let disputes = ReportSubject(
        name: "disputes", title: "Disputes", table: "disputes d", rows: "Disputes",
        fields: [
            ReportField("dispute", "Dispute", .text, "d.dispute_id"),
            ReportField("subscription", "Subscription", .text, "d.subscription_number"),
            ReportField("bill", "Bill", .text, "d.bill_id"),
            ReportField("region", "Region", .text, "d.region"),
            ReportField("status", "Status", .text, "d.status", values: ["open", "accepted", "rejected"]),
            ReportField("currency", "Currency", .text, "d.currency"),
            ReportField("opened", "Opened", .date, "d.opened_on"),
            ReportField("resolved", "Resolved", .date, "d.resolved_on"),
            ReportField("amount", "Disputed amount", .money, "d.amount"),
            ReportField("accepted", "Accepted amount", .money, "d.accepted"),
            ReportField("daysOpen", "Days open", .integer, "coalesce(d.resolved_on, current_date) - d.opened_on"),
        ],
        readers: money)

    static let tasks = ReportSubject(
        name: "tasks", title: "Tasks", table: "tasks t", rows: "Tasks",
        fields: [
            ReportField("task", "Task", .text, "t.task_id"),
            ReportField("process", "Process", .text, "coalesce(t.process_name, t.process_id)"),
            ReportField("step", "Step", .text, "coalesce(t.step_name, t.step)"),
            ReportField("group", "Group", .text, "t.group_name"),
            ReportField("employee", "Employee", .text, "coalesce(t.ended_by, t.assignee, '(unassigned)')"),
            ReportField("status", "Status", .text, "t.status", values: ["open", "completed", "cancelled"]),
            ReportField("created", "Created", .timestamp, "t.created_at"),
            ReportField("due", "Due", .timestamp, "t.due_at"),
            ReportField("ended", "Ended", .timestamp, "t.ended_at"),
            ReportField("hours", "Hours in step", .hours, "extract(epoch FROM coalesce(t.ended_at, now()) - t.created_at) / 3600"),
            ReportField("overdue", "Overdue", .boolean, "(t.status = 'open' AND t.due_at < now())"),
        ],
        readers: workflow)

    static let processes = ReportSubject(
        name: "processes", title: "Process instances", table: "processes i", rows: "Instances",
        fields: [
            ReportField("instance", "Instance", .text, "i.instance_id"),
            ReportField("process", "Process", .text, "coalesce(i.process_name, i.process_id)"),
            ReportField("version", "Version", .integer, "i.version"),
            ReportField("businessKey", "Business key", .text, "i.business_key"),
            ReportField("startedBy", "Started by", .text, "i.started_by"),
            ReportField("status", "Status", .text, "i.status", values: ["running", "completed", "terminated"]),
            ReportField("started", "Started", .timestamp, "i.started_at"),
            ReportField("ended", "Ended", .timestamp, "i.ended_at"),
            ReportField("hours", "Hours", .hours, "extract(epoch FROM coalesce(i.ended_at, now()) - i.started_at) / 3600"),
        ],
        readers: workflow)

    static let readings = ReportSubject(
        name: "readings", title: "Readings received", table: "reading_checks r", rows: "Batches",
        fields: [
            ReportField("checked", "Checked", .timestamp, "r.checked_at"),
            ReportField("stored", "Stored", .integer, "r.stored"),
            ReportField("duplicates", "Duplicates", .integer, "r.duplicates"),
            ReportField("flagged", "Flagged", .integer, "r.flagged"),
            ReportField("refused", "Refused", .integer, "r.refused"),
        ],
        readers: ["manager", "billing-officer"])
}
