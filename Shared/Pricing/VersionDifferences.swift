import Contracts

extension TariffVersion {
    /// The fields that differ, in the order the version lists them. The effective date is left
    /// out: it always differs.
    public func changes(from earlier: TariffVersion) -> [FeeChange] {
        var before = (try? JSONValue.of(earlier)).map(Self.leaves) ?? []
        var after = (try? JSONValue.of(self)).map(Self.leaves) ?? []
        before.removeAll { $0.0 == "effectiveFrom" }
        after.removeAll { $0.0 == "effectiveFrom" }
        let old = Dictionary(before, uniquingKeysWith: { a, _ in a })
        let new = Dictionary(after, uniquingKeysWith: { a, _ in a })
        var changes = after.compactMap { field, value in old[field] == value ? nil : FeeChange(field: field, before: old[field], after: value) }
        changes += before.compactMap { field, value in new[field] == nil ? FeeChange(field: field, before: value, after: nil) : nil }
        return changes
    }

    /// Each scalar by its path; a row of a schedule (numbers only) is one leaf, its hours spaced.
    static func leaves(_ value: JSONValue) -> [(String, String)] {
        var leaves: [(String, String)] = []
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case .object(let fields):
                for key in fields.keys.sorted() { walk(fields[key]!, path.isEmpty ? key : "\(path).\(key)") }
            case .array(let items) where !items.isEmpty && items.allSatisfy({ if case .number = $0 { true } else { false } }):
                leaves.append((path, items.map { $0.description }.joined(separator: " ")))
            case .array(let items):
                if items.isEmpty { return }
                for (i, item) in items.enumerated() { walk(item, "\(path)[\(i)]") }
            case .null: return
            case .string(let text): leaves.append((path, text))
            default: leaves.append((path, value.description))
            }
        }
        walk(value, "")
        return leaves
    }
}
