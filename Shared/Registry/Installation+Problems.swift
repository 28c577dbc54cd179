import Contracts
import Foundation

/// Field-level checks of the parts of an installation, before anything is stored. Each returns
/// its problems under the field path the sender used (`premises.location.latitude`).
extension PremisesDetails {
    public func problems(at path: String) -> [FieldProblem] {
        var problems = address.problems(at: "\(path).address")
        if !region.isCode(maxLength: 20) {
            problems.append(FieldProblem("\(path).region", "must be a tariff region's code like TEH-1"))
        }
        problems += location.problems(at: "\(path).location")
        return problems
    }
}

extension PostalAddress {
    /// Street, second line and city, lower-cased: what an address is searched by.
    public var searchText: String { [line1, line2, city].compactMap { $0 }.joined(separator: " ").lowercased() }

    func problems(at path: String) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if line1.trimmed.isEmpty || line1.count > 200 { problems.append(FieldProblem("\(path).line1", "is required, at most 200 characters")) }
        if city.trimmed.isEmpty || city.count > 100 { problems.append(FieldProblem("\(path).city", "is required, at most 100 characters")) }
        if !country.isCapitals(2) { problems.append(FieldProblem("\(path).country", "must be an ISO 3166 country code like IR")) }
        return problems
    }
}

extension Coordinates {
    /// WGS 84 degrees; 0, 0 (in the Gulf of Guinea) is what an unset GPS field gives, not a place.
    public func problems(at path: String) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if !latitude.isFinite || !(-90...90).contains(latitude) { problems.append(FieldProblem("\(path).latitude", "must be between -90 and 90 degrees")) }
        if !longitude.isFinite || !(-180...180).contains(longitude) {
            problems.append(FieldProblem("\(path).longitude", "must be between -180 and 180 degrees"))
        }
        if problems.isEmpty, latitude == 0, longitude == 0 { problems.append(FieldProblem(path, "0, 0 is not a place: enter the coordinates")) }
        return problems
    }
}

extension Utility {
    /// The units a connection's capacity is given in, and the largest one a customer
    /// connection takes (beyond it is a network project, not a branch).
    public var capacityUnits: [String: Double] {
        switch self {
        case .electricity: ["A": 2_000, "kW": 2_000, "kVA": 2_500]
        case .water: ["mm": 300]
        case .gas: ["m3/h": 5_000]
        case .heat: ["kW": 20_000]
        }
    }
}

extension Capacity {
    public func problems(for utility: Utility, at path: String) -> [FieldProblem] {
        guard let largest = utility.capacityUnits[unit] else {
            return [FieldProblem("\(path).unit", "\(utility.rawValue) capacity is in \(utility.capacityUnits.keys.sorted().joined(separator: ", "))")]
        }
        guard value.isFinite, value > 0, value <= largest else { return [FieldProblem("\(path).value", "must be more than 0 and at most \(Int(largest)) \(unit)")] }
        return []
    }
}

extension Money {
    public func problems(at path: String) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if amount < 0 { problems.append(FieldProblem("\(path).amount", "must not be negative")) }
        if !currency.isCapitals(3) { problems.append(FieldProblem("\(path).currency", "must be an ISO 4217 code like IRR")) }
        return problems
    }
}

extension MeterSpecification {
    public func problems(at path: String, thisYear: Int) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func text(_ value: String, _ field: String, max: Int) {
            if value.trimmed.isEmpty || value.count > max { problems.append(FieldProblem("\(path).\(field)", "is required, at most \(max) characters")) }
        }
        text(manufacturer, "manufacturer", max: 100)
        text(serialNumber, "serialNumber", max: 50)
        text(model, "model", max: 100)
        text(nominalRating, "nominalRating", max: 50)
        if registers.isEmpty || registers.count > 8 { problems.append(FieldProblem("\(path).registers", "a meter has 1 to 8 registers")) }
        if Set(registers).count != registers.count { problems.append(FieldProblem("\(path).registers", "each register's name must be different")) }
        for (index, name) in registers.enumerated() where !name.isShaped(1...20, first: { ASCII.isLower($0) || ASCII.isDigit($0) }, rest: { ASCII.isLower($0) || ASCII.isDigit($0) || $0 == 45 }) {
            problems.append(FieldProblem("\(path).registers[\(index)]", "must be a short lower-case name like total or off-peak"))
        }
        if !(3...12).contains(dials) { problems.append(FieldProblem("\(path).dials", "must be 3 to 12")) }
        if !multiplier.isFinite || multiplier <= 0 || multiplier > 100_000 { problems.append(FieldProblem("\(path).multiplier", "must be more than 0")) }
        if !accuracyClass.isFinite || !(0.1...10).contains(accuracyClass) {
            problems.append(FieldProblem("\(path).accuracyClass", "must be a class in percent between 0.1 and 10"))
        }
        if !(1950...(thisYear + 1)).contains(yearOfManufacture) { problems.append(FieldProblem("\(path).yearOfManufacture", "must be between 1950 and \(thisYear + 1)")) }
        for (index, seal) in seals.enumerated() where seal.trimmed.isEmpty || seal.count > 30 {
            problems.append(FieldProblem("\(path).seals[\(index)]", "must be 1 to 30 characters"))
        }
        if Moment.date(nextTestDue) == nil { problems.append(FieldProblem("\(path).nextTestDue", "must be a date like 2034-06-30")) }
        return problems
    }

    /// The readings a technician took off this meter: one for each of its registers, each an
    /// index the meter can show.
    public func problems(of readings: [RegisterReading], at path: String) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        let largest = pow(10, Double(dials))
        for (index, reading) in readings.enumerated() {
            if !registers.contains(reading.register) {
                problems.append(FieldProblem("\(path)[\(index)].register", "the meter has no register \(reading.register) (it has \(registers.joined(separator: ", ")))"))
            } else if !reading.index.isFinite || reading.index < 0 || reading.index >= largest {
                problems.append(FieldProblem("\(path)[\(index)].index", "must be from 0 to below \(Int(largest)) (the meter has \(dials) dials)"))
            }
        }
        let read = Set(readings.map(\.register))
        for name in registers where !read.contains(name) { problems.append(FieldProblem(path, "the \(name) register's reading is missing")) }
        if read.count != readings.count { problems.append(FieldProblem(path, "each register is read once")) }
        return problems
    }
}

extension String {
    /// The problem of a free-text reason, if any.
    public func reasonProblems(at field: String) -> [FieldProblem] {
        trimmed.isEmpty || count > 500 ? [FieldProblem(field, "is required, at most 500 characters")] : []
    }
}

/// The terms a subscription is opened on.
public enum SubscriptionTerms {
    public static func problems(tariffCode: String, billingCycle: String, startDate: String, deposit: Money, at path: String) -> [FieldProblem] {
        let prefix = path.isEmpty ? "" : "\(path)."
        var problems: [FieldProblem] = []
        if !tariffCode.isCode(maxLength: 30) { problems.append(FieldProblem("\(prefix)tariffCode", "must be a tariff code like E-RES-1")) }
        if !billingCycle.isCode(maxLength: 20) { problems.append(FieldProblem("\(prefix)billingCycle", "must be a cycle code like M01")) }
        if Moment.date(startDate) == nil { problems.append(FieldProblem("\(prefix)startDate", "must be a date like 2026-12-01")) }
        return problems + deposit.problems(at: "\(prefix)deposit")
    }
}

extension ConnectionImport {
    /// An installed connection as a former system hands it over: a place, a capacity, a meter
    /// of the same utility with its readings, and the subscription's terms.
    public func problems(at path: String, thisYear: Int) -> [FieldProblem] {
        var problems = premises.problems(at: "\(path).premises")
        problems += capacity.problems(for: utility, at: "\(path).capacity")
        problems += meter.problems(at: "\(path).meter", thisYear: thisYear)
        if meter.utility != utility { problems.append(FieldProblem("\(path).meter.utility", "is \(meter.utility.rawValue); the connection is \(utility.rawValue)")) }
        problems += meter.problems(of: readings, at: "\(path).readings")
        return problems + SubscriptionTerms.problems(tariffCode: tariffCode, billingCycle: billingCycle, startDate: startDate, deposit: deposit, at: path)
    }
}
