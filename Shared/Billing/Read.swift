import Contracts

/// A register's reading as billing works with it: the index the dials show, and the index
/// unwound (every rollover of the dials added back), so that consumption is a subtraction.
public struct Read: Sendable, Hashable {
    public var readingId: String
    public var index: Double
    public var unwound: Double
    /// Seconds since 1970.
    public var at: Int
    public var source: ReadingSource

    public init(readingId: String, index: Double, unwound: Double, at: Int, source: ReadingSource) {
        (self.readingId, self.index, self.unwound, self.at, self.source) = (readingId, index, unwound, at, source)
    }

    public var billed: BilledReading { BilledReading(index: index, at: BillingDay.text(moment: at), source: source) }
}

/// A meter's dials and multiplier: what its indexes mean.
public struct MeterDials: Sendable, Hashable {
    public var dials: Int
    public var multiplier: Double
    public init(dials: Int, multiplier: Double) { (self.dials, self.multiplier) = (dials, multiplier) }

    /// The first index the dials cannot show: 10^dials.
    public var range: Double {
        var value = 1.0
        for _ in 0..<dials { value *= 10 }
        return value
    }
}
