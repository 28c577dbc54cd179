/// The parts of an installation as commands and events carry them: where a service point is,
/// what it can take, the meters on it and what they read.

public enum Utility: String, Sendable, Codable, CaseIterable { case electricity, water, gas, heat }

public enum UseType: String, Sendable, Codable, CaseIterable { case residential, commercial, industrial, agricultural, `public` }

/// A place on the earth in WGS 84 degrees.
public struct Coordinates: Sendable, Hashable, Codable {
    public var latitude: Double
    public var longitude: Double
    public init(latitude: Double, longitude: Double) { (self.latitude, self.longitude) = (latitude, longitude) }
}

/// What a connection can take: amperes or kilowatts for electricity, a pipe's diameter in
/// millimetres for water, cubic metres an hour for gas, kilowatts for heat.
public struct Capacity: Sendable, Hashable, Codable {
    public var value: Double
    public var unit: String
    public init(value: Double, unit: String) { (self.value, self.unit) = (value, unit) }
}

/// The building or plot a service point is at: its address, the tariff region it lies in, and
/// where it is.
public struct PremisesDetails: Sendable, Hashable, Codable {
    public var address: PostalAddress
    /// The tariff region's code (`TEH-1`).
    public var region: String
    public var location: Coordinates
    public init(address: PostalAddress, region: String, location: Coordinates) { (self.address, self.region, self.location) = (address, region, location) }
}

/// One register's index as read off a meter (cumulative, in the register's unit before the
/// multiplier).
public struct RegisterReading: Sendable, Hashable, Codable {
    /// The register's name on the meter: `total`, or `peak`, `off-peak`.
    public var register: String
    public var index: Double
    public init(register: String, index: Double) { (self.register, self.index) = (register, index) }
}

/// Money in integer minor units of its ISO 4217 currency.
public struct Money: Sendable, Hashable, Codable {
    public var amount: Int
    public var currency: String
    public init(amount: Int, currency: String) { (self.amount, self.currency) = (amount, currency) }
}

/// A meter as the stores receive it from the manufacturer.
public struct MeterSpecification: Sendable, Hashable, Codable {
    public var manufacturer: String
    /// Unique per manufacturer.
    public var serialNumber: String
    public var utility: Utility
    public var model: String
    /// The registers' names, one per index the meter shows.
    public var registers: [String]
    /// The digits of each register's index before it rolls over to zero.
    public var dials: Int
    /// Read index × multiplier = consumption (current and voltage transformers).
    public var multiplier: Double
    /// The greatest error allowed at nominal load, in percent (class 1: ±1 %).
    public var accuracyClass: Double
    /// `10(60) A`, `Qn 2.5 m3/h`.
    public var nominalRating: String
    public var yearOfManufacture: Int
    public var seals: [String]
    /// ISO date: when the meter must next be tested.
    public var nextTestDue: String

    public init(
        manufacturer: String, serialNumber: String, utility: Utility, model: String, registers: [String], dials: Int, multiplier: Double,
        accuracyClass: Double, nominalRating: String, yearOfManufacture: Int, seals: [String], nextTestDue: String
    ) {
        (self.manufacturer, self.serialNumber, self.utility, self.model, self.registers, self.dials) = (manufacturer, serialNumber, utility, model, registers, dials)
        (self.multiplier, self.accuracyClass, self.nominalRating, self.yearOfManufacture, self.seals, self.nextTestDue) =
            (multiplier, accuracyClass, nominalRating, yearOfManufacture, seals, nextTestDue)
    }
}

/// The error a meter showed at one test point: the load in percent of its nominal rating.
public struct TestPoint: Sendable, Hashable, Codable {
    public var loadPercent: Double
    public var errorPercent: Double
    public init(loadPercent: Double, errorPercent: Double) { (self.loadPercent, self.errorPercent) = (loadPercent, errorPercent) }
}

public enum MeterStatus: String, Sendable, Codable, CaseIterable {
    case inStock = "in-stock", installed, removed, underTest = "under-test", scrapped
}

public enum SubscriptionStatus: String, Sendable, Codable, CaseIterable { case pending, active, suspended, terminated }

extension JSONSchema {
    static let utility = JSONSchema.enumeration(Utility.allCases.map(\.rawValue))
    static let useType = JSONSchema.enumeration(UseType.allCases.map(\.rawValue))
    static let coordinates = JSONSchema.object(properties: ["latitude": .number, "longitude": .number], required: ["latitude", "longitude"])
    static let capacity = JSONSchema.object(properties: ["value": .number, "unit": .string(minLength: 1, maxLength: 10)], required: ["value", "unit"])
    static let premises = JSONSchema.object(
        properties: ["address": .postalAddress, "region": .string(minLength: 1, maxLength: 20), "location": .coordinates],
        required: ["address", "region", "location"])
    static let readings = JSONSchema.array(.object(properties: ["register": .string(minLength: 1), "index": .number], required: ["register", "index"]))
    static let money = JSONSchema.object(properties: ["amount": .integer(minimum: 0), "currency": .string(pattern: "^[A-Z]{3}$")], required: ["amount", "currency"])
    static let customerNumber = JSONSchema.string(pattern: "^C-[0-9]{8}-[0-9]$")
    static let subscriptionNumber = JSONSchema.string(pattern: "^S-[0-9]{8}-[0-9]$")
    static let servicePointNumber = JSONSchema.string(pattern: "^SP-[0-9]{8}-[0-9]$")
    static let premisesNumber = JSONSchema.string(pattern: "^P-[0-9]{8}-[0-9]$")
    static let moment = JSONSchema.nullable(.string(minLength: 10))
    static let meterSpecification = JSONSchema.object(
        properties: [
            "manufacturer": .string(minLength: 1), "serialNumber": .string(minLength: 1), "utility": .utility, "model": .string(minLength: 1),
            "registers": .array(.string(minLength: 1)), "dials": .integer(minimum: 1, maximum: 12), "multiplier": .number, "accuracyClass": .number,
            "nominalRating": .string(minLength: 1), "yearOfManufacture": .integer(minimum: 1900, maximum: 2200), "seals": .array(.string()),
            "nextTestDue": .string(format: .date),
        ],
        required: [
            "manufacturer", "serialNumber", "utility", "model", "registers", "dials", "multiplier", "accuracyClass", "nominalRating",
            "yearOfManufacture", "seals", "nextTestDue",
        ])
}

extension PremisesDetails {
    public static var example: PremisesDetails {
        PremisesDetails(
            address: PostalAddress(line1: "12 Valiasr Street", city: "Tehran", postcode: "1416753955", country: "IR"), region: "TEH-1",
            location: Coordinates(latitude: 35.7219, longitude: 51.4094))
    }
}

extension MeterSpecification {
    public static var example: MeterSpecification {
        MeterSpecification(
            manufacturer: "Afzar Azma", serialNumber: "AA-2026-000123", utility: .electricity, model: "AZ-3P-TOU", registers: ["peak", "off-peak"],
            dials: 6, multiplier: 1, accuracyClass: 1, nominalRating: "10(60) A", yearOfManufacture: 2026, seals: ["S-88121"], nextTestDue: "2034-06-30")
    }
}
