import Contracts
import Foundation

/// An event as Reports received (and keeps) it.
public struct ReportedEvent: Sendable {
    public var messageId: String
    public var type: String
    public var body: [UInt8]
    /// When it was sent: the moment of facts whose event carries none (a task's creation).
    public var at: Date
    public init(messageId: String, type: String, body: [UInt8], at: Date) { (self.messageId, self.type, self.body, self.at) = (messageId, type, body, at) }
}

/// Why an event could not be read: its field and reason.
public struct UnreadableEvent: Error, Sendable, CustomStringConvertible {
    public var field: String?
    public var reason: String
    public var description: String { field.map { "\($0): \(reason)" } ?? reason }
}

/// The projection: what each followed event changes in the read model. Pure, so that the live
/// consumer and a rebuild from the kept events apply the very same rules.
public enum ReadModel {
    /// The routing keys Reports binds: the events of every service that tell a business fact.
    public static let followed: [String] = [
        CustomerRegistered.routingKey, CustomerUpdated.routingKey, CustomersImported.routingKey, SubscriptionCreated.routingKey,
        SubscriptionStatusChanged.routingKey, MeterReceived.routingKey, MeterInstalled.routingKey, MeterRemoved.routingKey,
        MeterStatusChanged.routingKey, InspectionRecorded.routingKey,
        BillIssued.routingKey, BillCancelled.routingKey, ReadingsChecked.routingKey,
        PaymentReceived.routingKey, BalanceChanged.routingKey, DisputeOpened.routingKey, DisputeResolved.routingKey,
        ProcessStarted.routingKey, ProcessCompleted.routingKey, ProcessTerminated.routingKey,
        TaskCreated.routingKey, TaskAssigned.routingKey, TaskCompleted.routingKey, TaskCancelled.routingKey,
    ]
    static let followedTypes = Set(
        [
            CustomerRegistered.type, CustomerUpdated.type, CustomersImported.type, SubscriptionCreated.type, SubscriptionStatusChanged.type,
            MeterReceived.type, MeterInstalled.type, MeterRemoved.type, MeterStatusChanged.type, InspectionRecorded.type,
            BillIssued.type, BillCancelled.type, ReadingsChecked.type, PaymentReceived.type, BalanceChanged.type, DisputeOpened.type,
            DisputeResolved.type, ProcessStarted.type, ProcessCompleted.type, ProcessTerminated.type,
            TaskCreated.type, TaskAssigned.type, TaskCompleted.type, TaskCancelled.type,
        ])

    /// Whether Reports keeps and applies events of this type (others on its queue are acknowledged and left).
    public static func follows(_ type: String) -> Bool { followedTypes.contains(type) }

    public static func changes(_ events: [ReportedEvent]) throws(UnreadableEvent) -> FactChanges {
        var changes = FactChanges()
        for event in events { try apply(event, to: &changes) }
        return changes
    }

    public static func apply(_ event: ReportedEvent, to changes: inout FactChanges) throws(UnreadableEvent) {
        let at = moment(event.at)
        switch event.type {
        case CustomerRegistered.type:
            let e = try decode(CustomerRegistered.self, event)
            changes.set(.customers, customer(e.customerNumber, e.customer).merging(["registered_on": day(e.registeredAt)]) { $1 })
        case CustomerUpdated.type:
            let e = try decode(CustomerUpdated.self, event)
            changes.set(.customers, customer(e.customerNumber, e.customer))
        case CustomersImported.type:
            for entry in try decode(CustomersImported.self, event).entries {
                guard let number = entry.customerNumber else { continue }
                changes.set(.customers, ["customer_number": number, "registered_on": day(at)])
                for s in entry.subscriptions {
                    changes.set(.subscriptions, subscription(
                        s.subscriptionNumber, customer: number, point: s.servicePointNumber, s.utility, s.region, s.useType, s.tariffCode, s.billingCycle,
                        start: s.startDate, status: .active))
                    changes.set(.meters, [
                        "manufacturer": s.manufacturer, "serial_number": s.serialNumber, "utility": s.utility.rawValue, "status": MeterStatus.installed.rawValue,
                        "subscription_number": s.subscriptionNumber, "service_point_number": s.servicePointNumber,
                    ])
                }
            }
        case SubscriptionCreated.type:
            let e = try decode(SubscriptionCreated.self, event)
            changes.set(.subscriptions, subscription(
                e.subscriptionNumber, customer: e.customerNumber, point: e.servicePointNumber, e.utility, e.region, e.useType, e.tariffCode, e.billingCycle,
                start: e.startDate, status: e.status))
        case SubscriptionStatusChanged.type:
            let e = try decode(SubscriptionStatusChanged.self, event)
            changes.set(.subscriptions, ["subscription_number": e.subscriptionNumber, "status": e.to.rawValue, "status_since": day(e.at)])
        case MeterReceived.type:
            let m = try decode(MeterReceived.self, event).meter
            changes.set(.meters, [
                "manufacturer": m.manufacturer, "serial_number": m.serialNumber, "utility": m.utility.rawValue, "model": m.model,
                "year_of_manufacture": String(m.yearOfManufacture), "next_test_due": m.nextTestDue, "status": MeterStatus.inStock.rawValue,
                "subscription_number": nil, "service_point_number": nil,
            ])
        case MeterInstalled.type:
            let taken = try decode(MeterInstalled.self, event).installation
            changes.set(.meters, [
                "manufacturer": taken.manufacturer, "serial_number": taken.serialNumber, "status": MeterStatus.installed.rawValue,
                "subscription_number": taken.subscriptionNumber, "service_point_number": taken.servicePointNumber,
            ])
        case MeterRemoved.type:
            let taken = try decode(MeterRemoved.self, event).removal
            changes.set(.meters, [
                "manufacturer": taken.manufacturer, "serial_number": taken.serialNumber, "status": MeterStatus.removed.rawValue,
                "subscription_number": nil, "service_point_number": nil,
            ])
        case MeterStatusChanged.type:
            let e = try decode(MeterStatusChanged.self, event)
            changes.set(.meters, ["manufacturer": e.manufacturer, "serial_number": e.serialNumber, "status": e.to.rawValue])
        case InspectionRecorded.type:
            let e = try decode(InspectionRecorded.self, event)
            changes.set(.meters, [
                "manufacturer": e.manufacturer, "serial_number": e.serialNumber, "last_tested_on": day(e.at), "last_test_passed": String(e.passed),
                "next_test_due": e.nextTestDue,
            ])
        case BillIssued.type:
            for b in try decode(BillIssued.self, event).bills {
                changes.set(.bills, [
                    "bill_id": b.billId, "kind": b.kind.rawValue, "status": BillStatus.issued.rawValue, "subscription_number": b.subscriptionNumber,
                    "customer_number": b.customerNumber, "utility": b.utility.rawValue, "region": b.region, "tariff_code": b.tariffCode,
                    "period_from": b.from, "period_to": b.to, "issued_on": b.issueDate, "due_on": b.dueDate, "currency": b.currency,
                    "charges": String(b.charges), "amount_due": String(b.amountDue), "consumption": String(b.consumption.values.reduce(0, +)),
                    "estimated": String(b.estimated),
                ])
            }
        case BillCancelled.type:
            changes.set(.bills, ["bill_id": try decode(BillCancelled.self, event).billId, "status": BillStatus.cancelled.rawValue])
        case ReadingsChecked.type:
            let e = try decode(ReadingsChecked.self, event)
            changes.set(.readingChecks, [
                "message_id": event.messageId, "checked_at": at, "stored": String(e.stored), "duplicates": String(e.duplicates.count),
                "flagged": String(e.flagged.count), "refused": String(e.refused.count),
            ])
        case PaymentReceived.type:
            let e = try decode(PaymentReceived.self, event)
            let p = e.payment
            changes.set(.payments, [
                "payment_id": p.paymentId, "subscription_number": p.subscriptionNumber, "customer_number": e.customerNumber, "channel": p.channel.rawValue,
                "currency": p.amount.currency, "amount": String(p.amount.amount), "credited": String(e.credited), "value_date": p.valueDate, "received_at": at,
            ])
            for settled in e.settled { changes.settle(settled.billId, settled.amount) }
        case BalanceChanged.type:
            let e = try decode(BalanceChanged.self, event)
            for entry in e.balances {
                let b = entry.balance
                changes.set(.balances, [
                    "subscription_number": entry.subscriptionNumber, "customer_number": entry.customerNumber, "currency": b.currency, "due": String(b.due),
                    "overdue": String(b.overdue), "held": String(b.held), "credit": String(b.credit), "deposit": String(b.deposit), "as_of": e.asOf,
                ])
            }
        case DisputeOpened.type:
            let e = try decode(DisputeOpened.self, event)
            changes.set(.disputes, [
                "dispute_id": e.disputeId, "subscription_number": e.subscriptionNumber, "bill_id": e.billId, "currency": e.amount.currency,
                "amount": String(e.amount.amount), "status": "open", "accepted": "0", "opened_on": e.valueDate,
            ])
        case DisputeResolved.type:
            let e = try decode(DisputeResolved.self, event)
            changes.set(.disputes, ["dispute_id": e.disputeId, "status": e.decision.rawValue, "accepted": String(e.accepted), "resolved_on": day(at)])
        case ProcessStarted.type:
            let e = try decode(ProcessStarted.self, event)
            changes.set(.processes, [
                "instance_id": e.instanceId, "process_id": e.processId, "process_name": e.processName, "version": String(e.version),
                "business_key": e.businessKey, "started_by": employee(e.startedBy), "status": "running", "started_at": e.at,
            ])
        case ProcessCompleted.type:
            let e = try decode(ProcessCompleted.self, event)
            changes.set(.processes, ["instance_id": e.instanceId, "status": "completed", "ended_at": e.at])
        case ProcessTerminated.type:
            let e = try decode(ProcessTerminated.self, event)
            changes.set(.processes, ["instance_id": e.instanceId, "status": "terminated", "ended_at": e.at])
        case TaskCreated.type:
            let e = try decode(TaskCreated.self, event)
            changes.set(.tasks, [
                "task_id": e.taskId, "instance_id": e.instanceId, "process_id": e.processId, "process_name": e.processName, "step": e.elementId,
                "step_name": e.name, "group_name": e.candidateGroups.first, "assignee": e.assignee, "status": "open", "created_at": at, "due_at": e.dueDate,
            ])
        case TaskAssigned.type:
            let e = try decode(TaskAssigned.self, event)
            changes.set(.tasks, ["task_id": e.taskId, "assignee": e.assignee])
        case TaskCompleted.type:
            let e = try decode(TaskCompleted.self, event)
            changes.set(.tasks, ["task_id": e.taskId, "status": "completed", "ended_at": e.at, "ended_by": employee(e.actor)])
        case TaskCancelled.type:
            let e = try decode(TaskCancelled.self, event)
            changes.set(.tasks, ["task_id": e.taskId, "status": "cancelled", "ended_at": e.at])
        default:
            break
        }
    }

    static func customer(_ number: String, _ details: CustomerDetails) -> [String: String?] {
        [
            "customer_number": number, "kind": details.kind.rawValue, "city": details.address.city, "country": details.address.country,
            "language": details.preferredLanguage,
        ]
    }

    static func subscription(
        _ number: String, customer: String, point: String, _ utility: Utility, _ region: String, _ useType: UseType, _ tariff: String, _ cycle: String,
        start: String, status: SubscriptionStatus
    ) -> [String: String?] {
        [
            "subscription_number": number, "customer_number": customer, "service_point_number": point, "utility": utility.rawValue, "region": region,
            "use_type": useType.rawValue, "tariff_code": tariff, "billing_cycle": cycle, "start_date": start, "status": status.rawValue,
        ]
    }

    /// `user:maryam` is Maryam; a system actor stays as it is.
    static func employee(_ actor: String) -> String { actor.hasPrefix("user:") ? String(actor.dropFirst(5)) : actor }

    /// The day of an ISO moment: its first ten characters.
    static func day(_ moment: String) -> String { String(moment.prefix(10)) }

    static func moment(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let days = Int((seconds / 86_400).rounded(.down)), rest = seconds - Double(days) * 86_400
        let (y, m, d) = CivilCalendar.civil(days: days)
        let s = Int(rest), millis = Int(((rest - Double(s)) * 1000).rounded(.down))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d, s / 3600, s / 60 % 60, s % 60, millis)
    }

    /// `bills[0].billId`, as the other services name a field.
    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ event: ReportedEvent) throws(UnreadableEvent) -> T {
        do {
            return try JSONBody.decode(T.self, from: event.body)
        } catch let DecodingError.keyNotFound(key, context) {
            throw UnreadableEvent(field: path(context.codingPath + [key]), reason: "is required")
        } catch let DecodingError.typeMismatch(_, context) {
            throw UnreadableEvent(field: path(context.codingPath), reason: "has the wrong type")
        } catch let DecodingError.valueNotFound(_, context) {
            throw UnreadableEvent(field: path(context.codingPath), reason: "must not be null")
        } catch let DecodingError.dataCorrupted(context) {
            throw UnreadableEvent(field: context.codingPath.isEmpty ? nil : path(context.codingPath), reason: context.debugDescription)
        } catch {
            throw UnreadableEvent(field: nil, reason: "not valid JSON: \(error)")
        }
    }
}
