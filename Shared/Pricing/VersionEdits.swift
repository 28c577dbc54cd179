import Contracts
import Foundation

/// A new version made from another by changing its fees: what a tariff manager's form edits.
/// Each editable field is named by its path in the version (`energy.periods[0].tiers[1].price`);
/// a schedule's month is one field, its 24 period numbers spaced.
extension TariffVersion {
    /// The fields a form shows, in the version's order, with their values.
    public var editableFields: [(field: String, value: String)] {
        guard let json = try? JSONValue.of(self) else { return [] }
        return Self.leaves(json).filter { field, _ in Self.isEditable(field) }
    }

    static func isEditable(_ field: String) -> Bool {
        let last = field.split(separator: ".").last.map { String($0.prefix { $0 != "[" }) } ?? ""
        return ["amount", "upTo", "price", "adjustment", "factor", "percent", "fixedPerMonth"].contains(last) || field.hasSuffix("]") && field.contains("Schedule[")
    }

    /// This version with `edits` (field → text) applied and a new effective date; refused by
    /// field when an edit is not a number (a schedule's month: 24 whole numbers) or the result
    /// is not a valid version.
    public func applying(_ edits: [String: String], effectiveFrom: String) throws(PricingRefused) -> TariffVersion {
        guard var json = try? JSONValue.of(self) else { throw PricingRefused("version", "cannot be read") }
        var problems: [FieldProblem] = []
        for (field, text) in edits.sorted(by: { $0.key < $1.key }) where Self.isEditable(field) {
            let value: JSONValue
            if field.contains("Schedule[") {
                let hours = text.split(whereSeparator: { $0 == " " || $0 == "," }).map { Int($0) }
                guard hours.count == 24, hours.allSatisfy({ $0 != nil }) else {
                    problems.append(FieldProblem(field, "24 period numbers, one an hour from 00:00, spaced"))
                    continue
                }
                value = .array(hours.map { .number(Double($0!)) })
            } else {
                let trimmed = text.trimmingSpaces
                guard let number = TariffDecimal(trimmed) else {
                    problems.append(FieldProblem(field, "\"\(trimmed)\" is not a number (at most nine decimals)"))
                    continue
                }
                value = .string(number.description)
            }
            guard Self.set(value, at: Self.path(field), in: &json) else {
                problems.append(FieldProblem(field, "is not a field of this version"))
                continue
            }
        }
        guard case .object(var object) = json else { throw PricingRefused("version", "cannot be read") }
        object["effectiveFrom"] = .string(effectiveFrom)
        guard problems.isEmpty else { throw PricingRefused(problems) }
        let version: TariffVersion
        do {
            version = try JSONBody.decode(TariffVersion.self, from: JSONValue.object(object).canonicalJSON)
        } catch {
            throw PricingRefused("version", "\(error)")
        }
        let invalid = version.problems
        guard invalid.isEmpty else { throw PricingRefused(invalid) }
        return version
    }

    /// `energy.periods[0].tiers[1].price` as keys and indices.
    public static func path(_ field: String) -> [PathStep] {
        var steps: [PathStep] = []
        for part in field.split(separator: ".") {
            let name = part.prefix { $0 != "[" }
            if !name.isEmpty { steps.append(.key(String(name))) }
            var rest = part.dropFirst(name.count)
            while rest.first == "[", let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]) {
                steps.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
        }
        return steps
    }

    public enum PathStep: Sendable { case key(String), index(Int) }

    static func set(_ value: JSONValue, at path: [PathStep], in json: inout JSONValue) -> Bool {
        guard let step = path.first else {
            json = value
            return true
        }
        switch (step, json) {
        case (.key(let key), .object(var object)):
            guard var child = object[key] else { return false }
            guard set(value, at: Array(path.dropFirst()), in: &child) else { return false }
            object[key] = child
            json = .object(object)
            return true
        case (.index(let index), .array(var array)):
            guard array.indices.contains(index) else { return false }
            guard set(value, at: Array(path.dropFirst()), in: &array[index]) else { return false }
            json = .array(array)
            return true
        default: return false
        }
    }
}
