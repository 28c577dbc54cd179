/// Customers with their installations, many at once: how a utility moves its records from the
/// system it replaces, and how a bulk source (a new housing estate) arrives. Each entry is
/// checked on its own: the good ones are stored, each refused one is answered with its fields.

/// One installed, active connection as the former system knows it.
public struct ConnectionImport: Sendable, Hashable, Codable {
    public var premises: PremisesDetails
    public var utility: Utility
    public var capacity: Capacity
    public var meter: MeterSpecification
    /// The meter's index when it was taken over.
    public var readings: [RegisterReading]
    public var useType: UseType
    public var tariffCode: String
    public var billingCycle: String
    public var startDate: String
    public var deposit: Money
    public init(
        premises: PremisesDetails, utility: Utility, capacity: Capacity, meter: MeterSpecification, readings: [RegisterReading], useType: UseType,
        tariffCode: String, billingCycle: String, startDate: String, deposit: Money
    ) {
        (self.premises, self.utility, self.capacity, self.meter, self.readings) = (premises, utility, capacity, meter, readings)
        (self.useType, self.tariffCode, self.billingCycle, self.startDate, self.deposit) = (useType, tariffCode, billingCycle, startDate, deposit)
    }

    static let schema = JSONSchema.object(
        properties: [
            "premises": .premises, "utility": .utility, "capacity": .capacity, "meter": .meterSpecification, "readings": .readings, "useType": .useType,
            "tariffCode": .string(minLength: 1), "billingCycle": .string(minLength: 1), "startDate": .string(format: .date), "deposit": .money,
        ], required: ["premises", "utility", "capacity", "meter", "readings", "useType", "tariffCode", "billingCycle", "startDate", "deposit"])
}

public struct CustomerImport: Sendable, Hashable, Codable {
    /// The sender's own id for the entry, echoed in the answer.
    public var reference: String
    public var customer: CustomerDetails
    public var connections: [ConnectionImport]
    public init(reference: String, customer: CustomerDetails, connections: [ConnectionImport]) {
        (self.reference, self.customer, self.connections) = (reference, customer, connections)
    }
}

public struct ImportCustomers: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "import-customers"
    public static let kind = MessageKind.command
    public static let summary = "Registers up to 1000 customers with their connections, meters and active subscriptions; answered by customers-imported."
    public static let maximumEntries = 1000
    public static let schema = JSONSchema.object(
        properties: [
            "entries": .array(.object(
                properties: ["reference": .string(minLength: 1, maxLength: 100), "customer": .customerDetails, "connections": .array(ConnectionImport.schema)],
                required: ["reference", "customer", "connections"]))
        ], required: ["entries"])
    public static var example: ImportCustomers {
        ImportCustomers(entries: [
            CustomerImport(
                reference: "LEGACY-000421", customer: .example,
                connections: [
                    ConnectionImport(
                        premises: .example, utility: .electricity, capacity: Capacity(value: 25, unit: "A"), meter: .example,
                        readings: [RegisterReading(register: "peak", index: 1520), RegisterReading(register: "off-peak", index: 3011)], useType: .residential,
                        tariffCode: "E-RES-1", billingCycle: "M01", startDate: "2019-04-01", deposit: Money(amount: 2_000_000, currency: "IRR"))
                ])
        ])
    }
    public var entries: [CustomerImport]
    public init(entries: [CustomerImport]) { self.entries = entries }
}

/// The answer to `ImportCustomers`, entry by entry, with what Billing needs of each new
/// subscription (its meter and the readings it starts from).
public struct CustomersImported: MessageContract, Equatable {
    public static let service = "registration"
    public static let name = "customers-imported"
    public static let kind = MessageKind.event
    public static let summary = "What became of each entry of an import: the customer's and subscriptions' numbers, or the problems, field by field."
    public struct Entry: Codable, Sendable, Equatable {
        public struct Subscription: Codable, Sendable, Equatable {
            public var subscriptionNumber: String
            public var servicePointNumber: String
            public var premisesNumber: String
            public var utility: Utility
            public var region: String
            public var useType: UseType
            public var tariffCode: String
            public var billingCycle: String
            public var startDate: String
            public var manufacturer: String
            public var serialNumber: String
            /// The meter's dials and multiplier: what Billing reads its indexes by.
            public var dials: Int
            public var multiplier: Double
            public var readings: [RegisterReading]
            public init(
                subscriptionNumber: String, servicePointNumber: String, premisesNumber: String, utility: Utility, region: String, useType: UseType,
                tariffCode: String, billingCycle: String, startDate: String, manufacturer: String, serialNumber: String, dials: Int, multiplier: Double,
                readings: [RegisterReading]
            ) {
                (self.subscriptionNumber, self.servicePointNumber, self.premisesNumber, self.utility, self.region) =
                    (subscriptionNumber, servicePointNumber, premisesNumber, utility, region)
                (self.useType, self.tariffCode, self.billingCycle, self.startDate) = (useType, tariffCode, billingCycle, startDate)
                (self.manufacturer, self.serialNumber, self.dials, self.multiplier, self.readings) = (manufacturer, serialNumber, dials, multiplier, readings)
            }
        }
        public var reference: String
        public var customerNumber: String?
        public var subscriptions: [Subscription]
        /// Empty when the entry was stored.
        public var problems: [FieldProblem]
        public init(reference: String, customerNumber: String?, subscriptions: [Subscription], problems: [FieldProblem]) {
            (self.reference, self.customerNumber, self.subscriptions, self.problems) = (reference, customerNumber, subscriptions, problems)
        }
    }
    public static let schema = JSONSchema.object(
        properties: [
            "entries": .array(.object(
                properties: [
                    "reference": .string(), "customerNumber": .nullable(.customerNumber),
                    "subscriptions": .array(.object(
                        properties: [
                            "subscriptionNumber": .subscriptionNumber, "servicePointNumber": .servicePointNumber, "premisesNumber": .premisesNumber,
                            "utility": .utility, "region": .string(), "useType": .useType, "tariffCode": .string(), "billingCycle": .string(),
                            "startDate": .string(format: .date), "manufacturer": .string(), "serialNumber": .string(), "dials": .integer(minimum: 1),
                            "multiplier": .number, "readings": .readings,
                        ],
                        required: [
                            "subscriptionNumber", "servicePointNumber", "premisesNumber", "utility", "region", "useType", "tariffCode", "billingCycle",
                            "startDate", "manufacturer", "serialNumber", "dials", "multiplier", "readings",
                        ])),
                    "problems": .array(.object(properties: ["field": .string(), "message": .string()], required: ["field", "message"])),
                ], required: ["reference", "subscriptions", "problems"]))
        ], required: ["entries"])
    public static var example: CustomersImported {
        CustomersImported(entries: [
            Entry(
                reference: "LEGACY-000421", customerNumber: "C-00000421-7",
                subscriptions: [
                    Entry.Subscription(
                        subscriptionNumber: "S-00000052-6", servicePointNumber: "SP-00000017-4", premisesNumber: "P-00000009-1", utility: .electricity,
                        region: "TEH-1", useType: .residential, tariffCode: "E-RES-1", billingCycle: "M01", startDate: "2019-04-01",
                        manufacturer: "Afzar Azma", serialNumber: "AA-2026-000123", dials: 6, multiplier: 1,
                        readings: [RegisterReading(register: "total", index: 1520)])
                ], problems: []),
            Entry(reference: "LEGACY-000422", customerNumber: nil, subscriptions: [], problems: [FieldProblem("entries[1].customer.nationalId", "is already registered, as C-00000433-2")]),
        ])
    }
    public var entries: [Entry]
    public init(entries: [Entry]) { self.entries = entries }
}
