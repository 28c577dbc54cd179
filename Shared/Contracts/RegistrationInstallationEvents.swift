/// What Registration publishes when an installation changes. Billing reads the meter events'
/// readings (the last of an old meter, the first of a new one) and the subscriptions' changes.

public struct MeterReceived: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "meter-received"
    public static let kind = MessageKind.event
    public static let summary = "A meter is in stock."
    public static let schema = JSONSchema.object(properties: ["meter": .meterSpecification], required: ["meter"])
    public static var example: MeterReceived { MeterReceived(meter: .example) }
    public var meter: MeterSpecification
    public init(meter: MeterSpecification) { self.meter = meter }
}

public struct ConnectionRequested: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "connection-requested"
    public static let kind = MessageKind.event
    public static let summary = "A service point is requested at a premises, with the numbers given to both."
    public static let schema = JSONSchema.object(
        properties: [
            "servicePointNumber": .servicePointNumber, "premisesNumber": .premisesNumber, "customerNumber": .customerNumber, "premises": .premises,
            "utility": .utility, "capacity": .capacity,
        ], required: ["servicePointNumber", "premisesNumber", "customerNumber", "premises", "utility", "capacity"])
    public static var example: ConnectionRequested {
        ConnectionRequested(
            servicePointNumber: "SP-00000017-4", premisesNumber: "P-00000009-1", customerNumber: "C-00000421-7", premises: .example,
            utility: .electricity, capacity: Capacity(value: 25, unit: "A"))
    }
    public var servicePointNumber: String
    public var premisesNumber: String
    public var customerNumber: String
    public var premises: PremisesDetails
    public var utility: Utility
    public var capacity: Capacity
    public init(servicePointNumber: String, premisesNumber: String, customerNumber: String, premises: PremisesDetails, utility: Utility, capacity: Capacity) {
        (self.servicePointNumber, self.premisesNumber, self.customerNumber, self.premises, self.utility, self.capacity) =
            (servicePointNumber, premisesNumber, customerNumber, premises, utility, capacity)
    }
}

/// A subscription opened; `region` and `utility` are the service point's, for pricing.
public struct SubscriptionCreated: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "subscription-created"
    public static let kind = MessageKind.event
    public static let summary = "A subscription is opened (pending, or active when it follows a change of ownership)."
    public static let schema = JSONSchema.object(
        properties: [
            "subscriptionNumber": .subscriptionNumber, "customerNumber": .customerNumber, "servicePointNumber": .servicePointNumber, "utility": .utility,
            "region": .string(), "useType": .useType, "tariffCode": .string(), "billingCycle": .string(), "startDate": .string(format: .date),
            "deposit": .money, "status": .enumeration(SubscriptionStatus.allCases.map(\.rawValue)),
        ],
        required: [
            "subscriptionNumber", "customerNumber", "servicePointNumber", "utility", "region", "useType", "tariffCode", "billingCycle", "startDate",
            "deposit", "status",
        ])
    public static var example: SubscriptionCreated {
        SubscriptionCreated(
            subscriptionNumber: "S-00000052-6", customerNumber: "C-00000421-7", servicePointNumber: "SP-00000017-4", utility: .electricity,
            region: "TEH-1", useType: .residential, tariffCode: "E-RES-1", billingCycle: "M01", startDate: "2026-12-01",
            deposit: Money(amount: 2_000_000, currency: "IRR"), status: .pending)
    }
    public var subscriptionNumber: String
    public var customerNumber: String
    public var servicePointNumber: String
    public var utility: Utility
    public var region: String
    public var useType: UseType
    public var tariffCode: String
    public var billingCycle: String
    public var startDate: String
    public var deposit: Money
    public var status: SubscriptionStatus
    public init(
        subscriptionNumber: String, customerNumber: String, servicePointNumber: String, utility: Utility, region: String, useType: UseType,
        tariffCode: String, billingCycle: String, startDate: String, deposit: Money, status: SubscriptionStatus
    ) {
        (self.subscriptionNumber, self.customerNumber, self.servicePointNumber, self.utility, self.region) =
            (subscriptionNumber, customerNumber, servicePointNumber, utility, region)
        (self.useType, self.tariffCode, self.billingCycle, self.startDate, self.deposit, self.status) = (useType, tariffCode, billingCycle, startDate, deposit, status)
    }
}

/// A meter went on or came off a service point, with its readings at that moment. Billing
/// takes them as actual readings: the first of a meter's and the last.
public struct MeterReadingsTaken: Codable, Sendable, Equatable {
    public var servicePointNumber: String
    /// The subscription the readings belong to, when the service point has one.
    public var subscriptionNumber: String?
    public var manufacturer: String
    public var serialNumber: String
    public var multiplier: Double
    public var dials: Int
    public var readings: [RegisterReading]
    public var reason: String?
    /// ISO 8601, UTC.
    public var at: String
    public init(
        servicePointNumber: String, subscriptionNumber: String?, manufacturer: String, serialNumber: String, multiplier: Double, dials: Int,
        readings: [RegisterReading], reason: String?, at: String
    ) {
        (self.servicePointNumber, self.subscriptionNumber, self.manufacturer, self.serialNumber) = (servicePointNumber, subscriptionNumber, manufacturer, serialNumber)
        (self.multiplier, self.dials, self.readings, self.reason, self.at) = (multiplier, dials, readings, reason, at)
    }

    static let schema = JSONSchema.object(
        properties: [
            "servicePointNumber": .servicePointNumber, "subscriptionNumber": .nullable(.subscriptionNumber), "manufacturer": .string(),
            "serialNumber": .string(), "multiplier": .number, "dials": .integer(minimum: 1), "readings": .readings, "reason": .nullable(.string()),
            "at": .string(format: .dateTime),
        ], required: ["servicePointNumber", "manufacturer", "serialNumber", "multiplier", "dials", "readings", "at"])
    static let example = MeterReadingsTaken(
        servicePointNumber: "SP-00000017-4", subscriptionNumber: "S-00000052-6", manufacturer: "Afzar Azma", serialNumber: "AA-2026-000123",
        multiplier: 1, dials: 6, readings: [RegisterReading(register: "total", index: 0)], reason: nil, at: "2026-12-01T09:00:00Z")
}

public struct MeterInstalled: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "meter-installed"
    public static let kind = MessageKind.event
    public static let summary = "A meter is installed on a service point, with its initial readings."
    public static let schema = JSONSchema.object(properties: ["installation": MeterReadingsTaken.schema], required: ["installation"])
    public static var example: MeterInstalled { MeterInstalled(installation: .example) }
    public var installation: MeterReadingsTaken
    public init(installation: MeterReadingsTaken) { self.installation = installation }
}

public struct MeterRemoved: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "meter-removed"
    public static let kind = MessageKind.event
    public static let summary = "A meter is removed from a service point, with its final readings."
    public static let schema = JSONSchema.object(properties: ["removal": MeterReadingsTaken.schema], required: ["removal"])
    public static var example: MeterRemoved { MeterRemoved(removal: .example) }
    public var removal: MeterReadingsTaken
    public init(removal: MeterReadingsTaken) { self.removal = removal }
}

public struct MeterRelocated: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "meter-relocated"
    public static let kind = MessageKind.event
    public static let summary = "A service point's meter moved; the readings are those at the move."
    public static let schema = JSONSchema.object(
        properties: ["relocation": MeterReadingsTaken.schema, "from": .coordinates, "to": .coordinates], required: ["relocation", "from", "to"])
    public static var example: MeterRelocated {
        MeterRelocated(relocation: .example, from: Coordinates(latitude: 35.7219, longitude: 51.4094), to: Coordinates(latitude: 35.72201, longitude: 51.40958))
    }
    public var relocation: MeterReadingsTaken
    public var from: Coordinates
    public var to: Coordinates
    public init(relocation: MeterReadingsTaken, from: Coordinates, to: Coordinates) { (self.relocation, self.from, self.to) = (relocation, from, to) }
}

/// The old owner's subscription is terminated at the readings (billing issues their final
/// bill) and the new owner's starts from them.
public struct OwnershipChanged: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "ownership-changed"
    public static let kind = MessageKind.event
    public static let summary = "A service point changed hands: the previous subscription ended and the new owner's began at the readings."
    public static let schema = JSONSchema.object(
        properties: [
            "servicePointNumber": .servicePointNumber, "previousSubscriptionNumber": .subscriptionNumber, "subscriptionNumber": .subscriptionNumber,
            "previousCustomerNumber": .customerNumber, "customerNumber": .customerNumber, "readings": .readings, "at": .string(format: .dateTime),
        ],
        required: ["servicePointNumber", "previousSubscriptionNumber", "subscriptionNumber", "previousCustomerNumber", "customerNumber", "readings", "at"])
    public static var example: OwnershipChanged {
        OwnershipChanged(
            servicePointNumber: "SP-00000017-4", previousSubscriptionNumber: "S-00000052-6", subscriptionNumber: "S-00000053-4",
            previousCustomerNumber: "C-00000421-7", customerNumber: "C-00000433-2", readings: [RegisterReading(register: "total", index: 48211)],
            at: "2026-12-01T09:00:00Z")
    }
    public var servicePointNumber: String
    public var previousSubscriptionNumber: String
    public var subscriptionNumber: String
    public var previousCustomerNumber: String
    public var customerNumber: String
    public var readings: [RegisterReading]
    public var at: String
    public init(
        servicePointNumber: String, previousSubscriptionNumber: String, subscriptionNumber: String, previousCustomerNumber: String, customerNumber: String,
        readings: [RegisterReading], at: String
    ) {
        (self.servicePointNumber, self.previousSubscriptionNumber, self.subscriptionNumber) = (servicePointNumber, previousSubscriptionNumber, subscriptionNumber)
        (self.previousCustomerNumber, self.customerNumber, self.readings, self.at) = (previousCustomerNumber, customerNumber, readings, at)
    }
}

/// A meter's test result. A failed meter is due for replacement, and the bills since
/// `installedAt` (or its last passed test) need checking.
public struct InspectionRecorded: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "inspection-recorded"
    public static let kind = MessageKind.event
    public static let summary = "A meter was tested: passed, or failed (due for replacement, with the period whose bills need correcting)."
    public static let schema = JSONSchema.object(
        properties: [
            "manufacturer": .string(), "serialNumber": .string(), "servicePointNumber": .nullable(.servicePointNumber),
            "subscriptionNumber": .nullable(.subscriptionNumber), "passed": .boolean, "worstErrorPercent": .number,
            "suspectSince": .nullable(.string(format: .dateTime)), "nextTestDue": .string(format: .date), "at": .string(format: .dateTime),
        ], required: ["manufacturer", "serialNumber", "passed", "worstErrorPercent", "nextTestDue", "at"])
    public static var example: InspectionRecorded {
        InspectionRecorded(
            manufacturer: "Afzar Azma", serialNumber: "AA-2026-000123", servicePointNumber: "SP-00000017-4", subscriptionNumber: "S-00000052-6",
            passed: false, worstErrorPercent: 3.4, suspectSince: "2026-06-01T08:00:00Z", nextTestDue: "2026-12-01", at: "2026-12-01T09:00:00Z")
    }
    public var manufacturer: String
    public var serialNumber: String
    public var servicePointNumber: String?
    public var subscriptionNumber: String?
    public var passed: Bool
    /// The test point furthest outside (or closest to) its limit, in percent error.
    public var worstErrorPercent: Double
    /// When the meter failed: the bills from then on are flagged for correction.
    public var suspectSince: String?
    public var nextTestDue: String
    public var at: String
    public init(
        manufacturer: String, serialNumber: String, servicePointNumber: String?, subscriptionNumber: String?, passed: Bool, worstErrorPercent: Double,
        suspectSince: String?, nextTestDue: String, at: String
    ) {
        (self.manufacturer, self.serialNumber, self.servicePointNumber, self.subscriptionNumber) = (manufacturer, serialNumber, servicePointNumber, subscriptionNumber)
        (self.passed, self.worstErrorPercent, self.suspectSince, self.nextTestDue, self.at) = (passed, worstErrorPercent, suspectSince, nextTestDue, at)
    }
}

public struct SubscriptionStatusChanged: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "subscription-status-changed"
    public static let kind = MessageKind.event
    public static let summary = "A subscription was activated, suspended, reconnected or terminated (with the final readings)."
    public static let schema = JSONSchema.object(
        properties: [
            "subscriptionNumber": .subscriptionNumber, "servicePointNumber": .servicePointNumber, "customerNumber": .customerNumber,
            "from": .enumeration(SubscriptionStatus.allCases.map(\.rawValue)), "to": .enumeration(SubscriptionStatus.allCases.map(\.rawValue)),
            "reason": .string(), "readings": .nullable(.readings), "at": .string(format: .dateTime),
        ], required: ["subscriptionNumber", "servicePointNumber", "customerNumber", "from", "to", "reason", "at"])
    public static var example: SubscriptionStatusChanged {
        SubscriptionStatusChanged(
            subscriptionNumber: "S-00000052-6", servicePointNumber: "SP-00000017-4", customerNumber: "C-00000421-7", from: .active, to: .terminated,
            reason: "Moved away", readings: [RegisterReading(register: "total", index: 48211)], at: "2026-12-01T09:00:00Z")
    }
    public var subscriptionNumber: String
    public var servicePointNumber: String
    public var customerNumber: String
    public var from: SubscriptionStatus
    public var to: SubscriptionStatus
    public var reason: String
    public var readings: [RegisterReading]?
    public var at: String
    public init(
        subscriptionNumber: String, servicePointNumber: String, customerNumber: String, from: SubscriptionStatus, to: SubscriptionStatus, reason: String,
        readings: [RegisterReading]?, at: String
    ) {
        (self.subscriptionNumber, self.servicePointNumber, self.customerNumber, self.from, self.to) = (subscriptionNumber, servicePointNumber, customerNumber, from, to)
        (self.reason, self.readings, self.at) = (reason, readings, at)
    }
}

public struct MeterStatusChanged: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "meter-status-changed"
    public static let kind = MessageKind.event
    public static let summary = "A meter went back to stock, to the lab or to scrap."
    public static let schema = JSONSchema.object(
        properties: [
            "manufacturer": .string(), "serialNumber": .string(), "from": .enumeration(MeterStatus.allCases.map(\.rawValue)),
            "to": .enumeration(MeterStatus.allCases.map(\.rawValue)), "reason": .string(), "at": .string(format: .dateTime),
        ], required: ["manufacturer", "serialNumber", "from", "to", "reason", "at"])
    public static var example: MeterStatusChanged {
        MeterStatusChanged(manufacturer: "Afzar Azma", serialNumber: "AA-2026-000123", from: .removed, to: .underTest, reason: "Customer complaint", at: "2026-12-01T09:00:00Z")
    }
    public var manufacturer: String
    public var serialNumber: String
    public var from: MeterStatus
    public var to: MeterStatus
    public var reason: String
    public var at: String
    public init(manufacturer: String, serialNumber: String, from: MeterStatus, to: MeterStatus, reason: String, at: String) {
        (self.manufacturer, self.serialNumber, self.from, self.to, self.reason, self.at) = (manufacturer, serialNumber, from, to, reason, at)
    }
}
