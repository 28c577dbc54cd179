/// Registration's commands on installations: connections, subscriptions, meters. Each is also
/// a job type (`registration.install-meter`): a service task's variables are the command's
/// fields. `at` is when it happened on site (ISO date or date-time; now when left out).

/// The stores receive a meter: it is in stock until a technician installs it.
public struct ReceiveMeter: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "receive-meter"
    public static let kind = MessageKind.command
    public static let summary = "A meter comes into stock; answered by meter-received, or command-refused."
    public static let schema = JSONSchema.object(properties: ["meter": .meterSpecification], required: ["meter"])
    public static var example: ReceiveMeter { ReceiveMeter(meter: .example) }
    public var meter: MeterSpecification
    public init(meter: MeterSpecification) { self.meter = meter }
}

/// A customer asks for a new connection (branch): a service point of one utility at a premises,
/// new (`premises`) or already known (`premisesNumber`).
public struct RequestConnection: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "request-connection"
    public static let kind = MessageKind.command
    public static let summary = "Records a requested service point at a premises; answered by connection-requested with its number."
    public static let schema = JSONSchema.object(
        properties: [
            "customerNumber": .customerNumber, "premisesNumber": .nullable(.premisesNumber), "premises": .nullable(.premises), "utility": .utility,
            "capacity": .capacity,
        ], required: ["customerNumber", "utility", "capacity"])
    public static var example: RequestConnection {
        RequestConnection(customerNumber: "C-00000421-7", premisesNumber: nil, premises: .example, utility: .electricity, capacity: Capacity(value: 25, unit: "A"))
    }
    public var customerNumber: String
    public var premisesNumber: String?
    public var premises: PremisesDetails?
    public var utility: Utility
    public var capacity: Capacity
    public init(customerNumber: String, premisesNumber: String?, premises: PremisesDetails?, utility: Utility, capacity: Capacity) {
        (self.customerNumber, self.premisesNumber, self.premises, self.utility, self.capacity) = (customerNumber, premisesNumber, premises, utility, capacity)
    }
}

/// A contract for a service point: pending until it is activated.
public struct CreateSubscription: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "create-subscription"
    public static let kind = MessageKind.command
    public static let summary = "Opens a pending subscription on a service point; answered by subscription-created with its number."
    public static let schema = JSONSchema.object(
        properties: [
            "customerNumber": .customerNumber, "servicePointNumber": .servicePointNumber, "useType": .useType, "tariffCode": .string(minLength: 1, maxLength: 30),
            "billingCycle": .string(minLength: 1, maxLength: 20), "startDate": .string(format: .date), "deposit": .money,
        ], required: ["customerNumber", "servicePointNumber", "useType", "tariffCode", "billingCycle", "startDate", "deposit"])
    public static var example: CreateSubscription {
        CreateSubscription(
            customerNumber: "C-00000421-7", servicePointNumber: "SP-00000017-4", useType: .residential, tariffCode: "E-RES-1", billingCycle: "M01",
            startDate: "2026-12-01", deposit: Money(amount: 2_000_000, currency: "IRR"))
    }
    public var customerNumber: String
    public var servicePointNumber: String
    public var useType: UseType
    public var tariffCode: String
    public var billingCycle: String
    public var startDate: String
    public var deposit: Money
    public init(
        customerNumber: String, servicePointNumber: String, useType: UseType, tariffCode: String, billingCycle: String, startDate: String, deposit: Money
    ) {
        (self.customerNumber, self.servicePointNumber, self.useType, self.tariffCode) = (customerNumber, servicePointNumber, useType, tariffCode)
        (self.billingCycle, self.startDate, self.deposit) = (billingCycle, startDate, deposit)
    }
}

/// A meter from stock goes onto a service point, with its readings at that moment.
public struct InstallMeter: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "install-meter"
    public static let kind = MessageKind.command
    public static let summary = "Installs a meter from stock on a service point; answered by meter-installed with the initial readings."
    public static let schema = JSONSchema.object(
        properties: [
            "servicePointNumber": .servicePointNumber, "manufacturer": .string(minLength: 1), "serialNumber": .string(minLength: 1), "readings": .readings,
            "at": .moment,
        ], required: ["servicePointNumber", "manufacturer", "serialNumber", "readings"])
    public static var example: InstallMeter {
        InstallMeter(
            servicePointNumber: "SP-00000017-4", manufacturer: "Afzar Azma", serialNumber: "AA-2026-000123",
            readings: [RegisterReading(register: "peak", index: 0), RegisterReading(register: "off-peak", index: 0)], at: nil)
    }
    public var servicePointNumber: String
    public var manufacturer: String
    public var serialNumber: String
    public var readings: [RegisterReading]
    public var at: String?
    public init(servicePointNumber: String, manufacturer: String, serialNumber: String, readings: [RegisterReading], at: String?) {
        (self.servicePointNumber, self.manufacturer, self.serialNumber, self.readings, self.at) = (servicePointNumber, manufacturer, serialNumber, readings, at)
    }
}

/// The meter comes off a service point, with its final readings.
public struct RemoveMeter: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "remove-meter"
    public static let kind = MessageKind.command
    public static let summary = "Removes the meter of a service point; answered by meter-removed with the final readings."
    public static let schema = JSONSchema.object(
        properties: ["servicePointNumber": .servicePointNumber, "readings": .readings, "reason": .string(minLength: 1, maxLength: 500), "at": .moment],
        required: ["servicePointNumber", "readings", "reason"])
    public static var example: RemoveMeter {
        RemoveMeter(servicePointNumber: "SP-00000017-4", readings: [RegisterReading(register: "peak", index: 1520.5), RegisterReading(register: "off-peak", index: 3011)], reason: "Disconnection at the customer's request", at: nil)
    }
    public var servicePointNumber: String
    public var readings: [RegisterReading]
    public var reason: String
    public var at: String?
    public init(servicePointNumber: String, readings: [RegisterReading], reason: String, at: String?) {
        (self.servicePointNumber, self.readings, self.reason, self.at) = (servicePointNumber, readings, reason, at)
    }
}

/// The old meter's final readings and the new one's initial readings, in one step.
public struct ReplaceMeter: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "replace-meter"
    public static let kind = MessageKind.command
    public static let summary = "Replaces the meter of a service point; answered by meter-removed then meter-installed, each with its readings."
    public static let schema = JSONSchema.object(
        properties: [
            "servicePointNumber": .servicePointNumber, "finalReadings": .readings, "manufacturer": .string(minLength: 1),
            "serialNumber": .string(minLength: 1), "initialReadings": .readings, "reason": .string(minLength: 1, maxLength: 500), "at": .moment,
        ], required: ["servicePointNumber", "finalReadings", "manufacturer", "serialNumber", "initialReadings", "reason"])
    public static var example: ReplaceMeter {
        ReplaceMeter(
            servicePointNumber: "SP-00000017-4", finalReadings: [RegisterReading(register: "total", index: 48211)], manufacturer: "Afzar Azma",
            serialNumber: "AA-2026-000124", initialReadings: [RegisterReading(register: "total", index: 0)], reason: "Failed its accuracy test", at: nil)
    }
    public var servicePointNumber: String
    public var finalReadings: [RegisterReading]
    /// The new meter's.
    public var manufacturer: String
    public var serialNumber: String
    public var initialReadings: [RegisterReading]
    public var reason: String
    public var at: String?
    public init(
        servicePointNumber: String, finalReadings: [RegisterReading], manufacturer: String, serialNumber: String, initialReadings: [RegisterReading],
        reason: String, at: String?
    ) {
        (self.servicePointNumber, self.finalReadings, self.manufacturer, self.serialNumber) = (servicePointNumber, finalReadings, manufacturer, serialNumber)
        (self.initialReadings, self.reason, self.at) = (initialReadings, reason, at)
    }
}

/// The meter moves to another place on the premises (or by the road): old and new place stay
/// in the history.
public struct RelocateMeter: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "relocate-meter"
    public static let kind = MessageKind.command
    public static let summary = "Moves a service point's meter to a new location; answered by meter-relocated with the old and new place."
    public static let schema = JSONSchema.object(
        properties: [
            "servicePointNumber": .servicePointNumber, "location": .coordinates, "readings": .readings, "reason": .string(minLength: 1, maxLength: 500),
            "at": .moment,
        ], required: ["servicePointNumber", "location", "readings", "reason"])
    public static var example: RelocateMeter {
        RelocateMeter(
            servicePointNumber: "SP-00000017-4", location: Coordinates(latitude: 35.72201, longitude: 51.40958),
            readings: [RegisterReading(register: "total", index: 48211)], reason: "Moved outside the building for reading", at: nil)
    }
    public var servicePointNumber: String
    public var location: Coordinates
    public var readings: [RegisterReading]
    public var reason: String
    public var at: String?
    public init(servicePointNumber: String, location: Coordinates, readings: [RegisterReading], reason: String, at: String?) {
        (self.servicePointNumber, self.location, self.readings, self.reason, self.at) = (servicePointNumber, location, readings, reason, at)
    }
}

/// The premises changed hands: the old owner's subscription ends with a final reading and the
/// new owner's opens, active, with the same reading as its first.
public struct ChangeOwnership: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "change-ownership"
    public static let kind = MessageKind.command
    public static let summary = "Terminates a subscription at a final reading and opens the new owner's; answered by ownership-changed."
    public static let schema = JSONSchema.object(
        properties: [
            "subscriptionNumber": .subscriptionNumber, "newCustomerNumber": .customerNumber, "readings": .readings, "deposit": .nullable(.money),
            "at": .moment,
        ], required: ["subscriptionNumber", "newCustomerNumber", "readings"])
    public static var example: ChangeOwnership {
        ChangeOwnership(
            subscriptionNumber: "S-00000052-6", newCustomerNumber: "C-00000433-2", readings: [RegisterReading(register: "total", index: 48211)],
            deposit: Money(amount: 2_000_000, currency: "IRR"), at: nil)
    }
    public var subscriptionNumber: String
    public var newCustomerNumber: String
    public var readings: [RegisterReading]
    /// The new owner's deposit; the old one's when left out.
    public var deposit: Money?
    public var at: String?
    public init(subscriptionNumber: String, newCustomerNumber: String, readings: [RegisterReading], deposit: Money?, at: String?) {
        (self.subscriptionNumber, self.newCustomerNumber, self.readings, self.deposit, self.at) = (subscriptionNumber, newCustomerNumber, readings, deposit, at)
    }
}

/// A meter's accuracy test: its error at each test point, judged against its accuracy class.
public struct RecordInspection: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "record-inspection"
    public static let kind = MessageKind.command
    public static let summary = "Records a meter test; answered by inspection-recorded with pass or fail (a failed meter is due for replacement)."
    public static let schema = JSONSchema.object(
        properties: [
            "manufacturer": .string(minLength: 1), "serialNumber": .string(minLength: 1),
            "testPoints": .array(.object(properties: ["loadPercent": .number, "errorPercent": .number], required: ["loadPercent", "errorPercent"])),
            "inspector": .string(minLength: 1), "reason": .string(minLength: 1, maxLength: 500), "at": .moment,
        ], required: ["manufacturer", "serialNumber", "testPoints", "inspector", "reason"])
    public static var example: RecordInspection {
        RecordInspection(
            manufacturer: "Afzar Azma", serialNumber: "AA-2026-000123",
            testPoints: [TestPoint(loadPercent: 5, errorPercent: 1.2), TestPoint(loadPercent: 100, errorPercent: 0.4)], inspector: "user:neda",
            reason: "Customer complaint", at: nil)
    }
    public var manufacturer: String
    public var serialNumber: String
    public var testPoints: [TestPoint]
    public var inspector: String
    public var reason: String
    public var at: String?
    public init(manufacturer: String, serialNumber: String, testPoints: [TestPoint], inspector: String, reason: String, at: String?) {
        (self.manufacturer, self.serialNumber, self.testPoints, self.inspector, self.reason, self.at) = (manufacturer, serialNumber, testPoints, inspector, reason, at)
    }
}

/// What moves a subscription from one status to another, and the status it moves to.
public protocol SubscriptionTransitionKind: Sendable {
    static var name: String { get }
    static var summary: String { get }
    static var target: SubscriptionStatus { get }
}

public enum Activation: SubscriptionTransitionKind {
    public static let name = "activate-subscription"
    public static let summary = "A pending subscription starts: the service is connected."
    public static let target = SubscriptionStatus.active
}

public enum Suspension: SubscriptionTransitionKind {
    public static let name = "suspend-subscription"
    public static let summary = "An active subscription is suspended (unpaid bills, the customer's request)."
    public static let target = SubscriptionStatus.suspended
}

public enum Reconnection: SubscriptionTransitionKind {
    public static let name = "reconnect-subscription"
    public static let summary = "A suspended subscription is reconnected."
    public static let target = SubscriptionStatus.active
}

public enum Termination: SubscriptionTransitionKind {
    public static let name = "terminate-subscription"
    public static let summary = "A subscription ends, with the final readings of its meter."
    public static let target = SubscriptionStatus.terminated
}

/// Activate, suspend, reconnect or terminate a subscription; answered by
/// subscription-status-changed.
public struct SubscriptionTransition<Kind: SubscriptionTransitionKind>: MessageContract, Equatable {
    public static var service: String { "registration" }
    public static var name: String { Kind.name }
    public static var kind: MessageKind { .command }
    public static var summary: String { "\(Kind.summary) Answered by subscription-status-changed, or command-refused." }
    public static var schema: JSONSchema {
        .object(
            properties: [
                "subscriptionNumber": .subscriptionNumber, "reason": .string(minLength: 1, maxLength: 500), "readings": .nullable(.readings), "at": .moment,
            ], required: ["subscriptionNumber", "reason"])
    }
    public static var example: Self {
        Self(subscriptionNumber: "S-00000052-6", reason: "At the customer's request", readings: [RegisterReading(register: "total", index: 48211)], at: nil)
    }
    public var subscriptionNumber: String
    public var reason: String
    /// The meter's readings at that moment (required to terminate one with a meter).
    public var readings: [RegisterReading]?
    public var at: String?
    public init(subscriptionNumber: String, reason: String, readings: [RegisterReading]?, at: String?) {
        (self.subscriptionNumber, self.reason, self.readings, self.at) = (subscriptionNumber, reason, readings, at)
    }
}

public typealias ActivateSubscription = SubscriptionTransition<Activation>
public typealias SuspendSubscription = SubscriptionTransition<Suspension>
public typealias ReconnectSubscription = SubscriptionTransition<Reconnection>
public typealias TerminateSubscription = SubscriptionTransition<Termination>

/// A meter off the wall moves between the stores, the lab and the scrap: back in stock after
/// its checks, sent for testing, scrapped. (Onto and off a service point it goes by
/// `install-meter` and `remove-meter`.)
public struct ChangeMeterStatus: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "change-meter-status"
    public static let kind = MessageKind.command
    public static let summary = "Moves a meter that is not installed to stock, to the lab or to scrap; answered by meter-status-changed."
    public static let schema = JSONSchema.object(
        properties: [
            "manufacturer": .string(minLength: 1), "serialNumber": .string(minLength: 1),
            "status": .enumeration([MeterStatus.inStock, .underTest, .scrapped].map(\.rawValue)), "reason": .string(minLength: 1, maxLength: 500),
        ], required: ["manufacturer", "serialNumber", "status", "reason"])
    public static var example: ChangeMeterStatus {
        ChangeMeterStatus(manufacturer: "Afzar Azma", serialNumber: "AA-2026-000123", status: .underTest, reason: "Removed after a customer complaint")
    }
    public var manufacturer: String
    public var serialNumber: String
    public var status: MeterStatus
    public var reason: String
    public init(manufacturer: String, serialNumber: String, status: MeterStatus, reason: String) {
        (self.manufacturer, self.serialNumber, self.status, self.reason) = (manufacturer, serialNumber, status, reason)
    }
}
