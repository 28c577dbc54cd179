import Foundation

extension InstanceState {
    /// The state as compact JSON with sorted keys: the same state always gives the same bytes,
    /// so a store can tell a real change from a rewrite.
    public func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    public static func fromJSON(_ bytes: [UInt8]) throws -> InstanceState {
        try JSONDecoder().decode(InstanceState.self, from: Data(bytes))
    }
}
