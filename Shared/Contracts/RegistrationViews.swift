/// The installation as Registration's queries show it.

/// A service point with where it is and the meter on it.
public struct ServicePointView: Codable, Sendable, Equatable {
    public struct Meter: Codable, Sendable, Equatable {
        public var manufacturer: String
        public var serialNumber: String
        public var model: String
        public var registers: [String]
        public var nextTestDue: String
        /// A failed test: the meter must be replaced.
        public var replacementDue: Bool
        public init(manufacturer: String, serialNumber: String, model: String, registers: [String], nextTestDue: String, replacementDue: Bool) {
            (self.manufacturer, self.serialNumber, self.model, self.registers, self.nextTestDue, self.replacementDue) =
                (manufacturer, serialNumber, model, registers, nextTestDue, replacementDue)
        }
    }
    public var servicePointNumber: String
    public var premisesNumber: String
    public var premises: PremisesDetails
    /// Where the meter is: the premises' location until it is relocated.
    public var location: Coordinates
    public var utility: Utility
    public var capacity: Capacity
    public var meter: Meter?
    public init(
        servicePointNumber: String, premisesNumber: String, premises: PremisesDetails, location: Coordinates, utility: Utility, capacity: Capacity, meter: Meter?
    ) {
        (self.servicePointNumber, self.premisesNumber, self.premises, self.location) = (servicePointNumber, premisesNumber, premises, location)
        (self.utility, self.capacity, self.meter) = (utility, capacity, meter)
    }

    static let schema = JSONSchema.object(
        properties: [
            "servicePointNumber": .servicePointNumber, "premisesNumber": .premisesNumber, "premises": .premises, "location": .coordinates, "utility": .utility,
            "capacity": .capacity,
            "meter": .nullable(.object(
                properties: [
                    "manufacturer": .string(), "serialNumber": .string(), "model": .string(), "registers": .array(.string()),
                    "nextTestDue": .string(format: .date), "replacementDue": .boolean,
                ], required: ["manufacturer", "serialNumber", "model", "registers", "nextTestDue", "replacementDue"])),
        ], required: ["servicePointNumber", "premisesNumber", "premises", "location", "utility", "capacity"])
    static var example: ServicePointView {
        ServicePointView(
            servicePointNumber: "SP-00000017-4", premisesNumber: "P-00000009-1", premises: .example, location: PremisesDetails.example.location,
            utility: .electricity, capacity: Capacity(value: 25, unit: "A"),
            meter: Meter(manufacturer: "Afzar Azma", serialNumber: "AA-2026-000123", model: "AZ-3P-TOU", registers: ["peak", "off-peak"], nextTestDue: "2034-06-30", replacementDue: false))
    }
}

public struct SubscriptionView: Codable, Sendable, Equatable {
    public var subscriptionNumber: String
    public var status: SubscriptionStatus
    public var useType: UseType
    public var tariffCode: String
    public var billingCycle: String
    public var startDate: String
    public var endDate: String?
    public var deposit: Money
    public var servicePoint: ServicePointView
    public init(
        subscriptionNumber: String, status: SubscriptionStatus, useType: UseType, tariffCode: String, billingCycle: String, startDate: String,
        endDate: String?, deposit: Money, servicePoint: ServicePointView
    ) {
        (self.subscriptionNumber, self.status, self.useType, self.tariffCode, self.billingCycle) = (subscriptionNumber, status, useType, tariffCode, billingCycle)
        (self.startDate, self.endDate, self.deposit, self.servicePoint) = (startDate, endDate, deposit, servicePoint)
    }

    static let schema = JSONSchema.object(
        properties: [
            "subscriptionNumber": .subscriptionNumber, "status": .enumeration(SubscriptionStatus.allCases.map(\.rawValue)), "useType": .useType,
            "tariffCode": .string(), "billingCycle": .string(), "startDate": .string(format: .date), "endDate": .nullable(.string(format: .date)),
            "deposit": .money, "servicePoint": ServicePointView.schema,
        ], required: ["subscriptionNumber", "status", "useType", "tariffCode", "billingCycle", "startDate", "deposit", "servicePoint"])
    static var example: SubscriptionView {
        SubscriptionView(
            subscriptionNumber: "S-00000052-6", status: .active, useType: .residential, tariffCode: "E-RES-1", billingCycle: "M01", startDate: "2026-12-01",
            endDate: nil, deposit: Money(amount: 2_000_000, currency: "IRR"), servicePoint: .example)
    }
}

/// One entry of the installation history, which is never changed: what happened, to which
/// subscription, service point and meter, and its facts (readings, places, test results).
public struct InstallationChange: Codable, Sendable, Equatable {
    /// `connection-requested`, `subscription-created`, `meter-installed`, `meter-removed`,
    /// `meter-relocated`, `ownership-transferred`, `inspection-recorded`,
    /// `subscription-activated`, `-suspended`, `-reconnected`, `-terminated`, and
    /// `connection-imported` (taken over from a former system, installed and active), and a
    /// meter's `meter-received`, `meter-in-stock`, `meter-under-test`, `meter-scrapped`.
    public var change: String
    public var at: String
    public var actor: String
    public var subscriptionNumber: String?
    public var servicePointNumber: String?
    /// `manufacturer serial`.
    public var meter: String?
    public var details: JSONValue
    public init(change: String, at: String, actor: String, subscriptionNumber: String?, servicePointNumber: String?, meter: String?, details: JSONValue) {
        (self.change, self.at, self.actor, self.subscriptionNumber, self.servicePointNumber, self.meter, self.details) =
            (change, at, actor, subscriptionNumber, servicePointNumber, meter, details)
    }

    static let schema = JSONSchema.object(
        properties: [
            "change": .string(), "at": .string(format: .dateTime), "actor": .string(), "subscriptionNumber": .nullable(.string()),
            "servicePointNumber": .nullable(.string()), "meter": .nullable(.string()), "details": .any,
        ], required: ["change", "at", "actor", "details"])
    static var example: InstallationChange {
        InstallationChange(
            change: "meter-installed", at: "2026-12-01T09:00:00Z", actor: "user:reza", subscriptionNumber: "S-00000052-6", servicePointNumber: "SP-00000017-4",
            meter: "Afzar Azma AA-2026-000123", details: .object(["readings": .array([.object(["register": .string("peak"), "index": .number(0)])])]))
    }
}

/// A meter's record: what it is, where it is, and everything that happened to it.
public struct GetMeter: QueryContract, Equatable {
    public typealias Reply = MeterRecord
    public static let service = "registration"
    public static let name = "get-meter"
    public static let kind = MessageKind.query
    public static let summary = "A meter's specification, status, service point and history."
    public static let schema = JSONSchema.object(
        properties: ["manufacturer": .string(minLength: 1), "serialNumber": .string(minLength: 1)], required: ["manufacturer", "serialNumber"])
    public static var example: GetMeter { GetMeter(manufacturer: "Afzar Azma", serialNumber: "AA-2026-000123") }
    public var manufacturer: String
    public var serialNumber: String
    public init(manufacturer: String, serialNumber: String) { (self.manufacturer, self.serialNumber) = (manufacturer, serialNumber) }
}

public struct MeterRecord: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "meter-record"
    public static let kind = MessageKind.event
    public static let summary = "A meter with its status and history."
    public static let schema = JSONSchema.object(
        properties: [
            "meter": .meterSpecification, "status": .enumeration(MeterStatus.allCases.map(\.rawValue)), "replacementDue": .boolean,
            "servicePointNumber": .nullable(.servicePointNumber), "history": .array(InstallationChange.schema),
        ], required: ["meter", "status", "replacementDue", "history"])
    public static var example: MeterRecord {
        MeterRecord(meter: .example, status: .installed, replacementDue: false, servicePointNumber: "SP-00000017-4", history: [.example])
    }
    public var meter: MeterSpecification
    public var status: MeterStatus
    public var replacementDue: Bool
    public var servicePointNumber: String?
    public var history: [InstallationChange]
    public init(meter: MeterSpecification, status: MeterStatus, replacementDue: Bool, servicePointNumber: String?, history: [InstallationChange]) {
        (self.meter, self.status, self.replacementDue, self.servicePointNumber, self.history) = (meter, status, replacementDue, servicePointNumber, history)
    }
}
