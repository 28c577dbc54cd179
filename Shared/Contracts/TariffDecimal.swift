/// A tariff's number: a unit price, a fee, a tier limit, a factor or a percent, kept exactly to
/// nine decimals (a unit price needs six or more; a float would lose cents over a billing run).
/// It travels as a decimal string, `"0.0896"`; a JSON number is read too, to nine decimals.
public struct TariffDecimal: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The number times 10⁹.
    public var nanos: Int64

    public static let scale: Int64 = 1_000_000_000
    public static let zero = TariffDecimal(nanos: 0)
    public static let one = TariffDecimal(nanos: scale)

    public init(nanos: Int64) { self.nanos = nanos }
    public init(_ whole: Int) { nanos = Int64(whole) * Self.scale }

    /// The decimal `text` (`"12"`, `"-0.5"`, `"0.089600"`), or nil when it is not one or has more
    /// than nine decimals or more than nine digits before the point.
    public init?(_ text: String) {
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 9, whole.allSatisfy(\.isASCIIDigit) else { return nil }
        var fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || !fraction.isEmpty, fraction.allSatisfy(\.isASCIIDigit) else { return nil }
        // Trailing zeros past the ninth decimal say nothing.
        while fraction.count > 9, fraction.last == "0" { fraction = fraction.dropLast() }
        guard fraction.count <= 9 else { return nil }
        let padded = fraction + String(repeating: "0", count: 9 - fraction.count)
        guard let w = Int64(whole), let f = Int64(padded) else { return nil }
        nanos = (w * Self.scale + f) * (negative ? -1 : 1)
    }

    /// The nearest nine-decimal number to `value` (a JSON number: `0.0896` is 0.0896 exactly).
    public init?(_ value: Double) {
        guard value.isFinite, abs(value) < 1e9 else { return nil }
        nanos = Int64((value * Double(Self.scale)).rounded())
    }

    public var doubleValue: Double { Double(nanos) / Double(Self.scale) }

    /// The shortest exact decimal: `"5.5"`, `"0.0896"`, `"650"`.
    public var description: String {
        let magnitude = nanos.magnitude
        let whole = magnitude / UInt64(Self.scale)
        var fraction = String(magnitude % UInt64(Self.scale))
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        return (nanos < 0 ? "-" : "") + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }

    public static func < (a: TariffDecimal, b: TariffDecimal) -> Bool { a.nanos < b.nanos }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let value = TariffDecimal(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a decimal of at most nine decimals")
            }
            self = value
        } else {
            let number = try container.decode(Double.self)
            guard let value = TariffDecimal(number) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(number) is out of range for a tariff's number")
            }
            self = value
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension JSONSchema {
    /// A decimal as a string (`"0.0896"`) or a number.
    static let tariffDecimal = JSONSchema.string(pattern: "^-?[0-9]{1,9}(\\.[0-9]{1,9})?$")
}
