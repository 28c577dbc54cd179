import Contracts

/// Interval data put together for a period: a smart meter's series laid end to end over the
/// period's days, multiplied. Only a period covered whole is priced from intervals; one with a
/// gap is billed from its register readings.
public enum Intervals {
    public struct Block: Sendable, Hashable {
        /// Minutes since 1970 on the tariff's wall clock.
        public var start: Int
        public var minutes: Int
        public var values: [Double]
        public init(start: Int, minutes: Int, values: [Double]) { (self.start, self.minutes, self.values) = (start, minutes, values) }
    }

    /// `YYYY-MM-DDTHH:MM`: minutes since 1970.
    public static func minute(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
            let day = BillingDay.day(String(decoding: bytes[0..<10], as: UTF8.self)), let hour = BillingDay.number(bytes[11..<13]),
            let minute = BillingDay.number(bytes[14..<16]), hour < 24, minute < 60
        else { return nil }
        return day * 1_440 + hour * 60 + minute
    }

    /// The period's intervals, or nil unless the blocks cover every one of them at one length.
    public static func covering(from: Int, to: Int, blocks: [Block], multiplier: Double) -> IntervalReadings? {
        guard let minutes = blocks.first?.minutes, blocks.allSatisfy({ $0.minutes == minutes }), minutes > 0, 1_440 % minutes == 0 else { return nil }
        let first = from * 1_440, count = (to - from + 1) * 1_440 / minutes
        var values = [Double](repeating: .nan, count: count)
        for block in blocks {
            for (offset, value) in block.values.enumerated() {
                let slot = (block.start - first) / minutes + offset
                if (block.start - first) % minutes == 0, slot >= 0, slot < count { values[slot] = value * multiplier }
            }
        }
        guard !values.contains(where: \.isNaN) else { return nil }
        return IntervalReadings(start: "\(BillingDay.text(day: from))T00:00", minutes: minutes, values: values)
    }
}
