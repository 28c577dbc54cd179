import Contracts

/// Validation of a register reading against the one before it, as utilities' VEE does: the
/// index fits the dials; it never goes backwards except by a rollover of the dials; the
/// multiplier turns it into consumption; no consumption, or far more or less than the
/// subscription's daily average, is flagged for the billing officer.
public struct ReadingCheck: Sendable {
    /// A day's consumption this many times the average is high, this fraction of it low.
    public var highFactor = 3.0
    public var lowFactor = 0.2
    /// High and low are only judged over at least this many days: a shorter gap is noise.
    public var judgedDays = 7.0
    /// Without an average, a fall of the index is a rollover only if the consumption it means
    /// is under this share of the dials' range; with one, under `rolloverFactor` times the
    /// average over the days between.
    public var rolloverShare = 0.1
    public var rolloverFactor = 5.0

    public init() {}

    public struct Outcome: Sendable, Equatable {
        public var unwound: Double
        /// After the multiplier; nil for a register's first reading.
        public var consumption: Double?
        public var flags: [ReadingFlag]
        public var rolledOver: Bool
        public init(unwound: Double, consumption: Double?, flags: [ReadingFlag], rolledOver: Bool) {
            (self.unwound, self.consumption, self.flags, self.rolledOver) = (unwound, consumption, flags, rolledOver)
        }
    }

    /// The problem with an index that no meter could show, or nil.
    public func problem(index: Double, dials: MeterDials) -> String? {
        guard index.isFinite, index >= 0 else { return "\(index) is not an index: it is negative or not a number" }
        guard index < dials.range else { return "\(index) does not fit the meter's \(dials.dials) dials" }
        return nil
    }

    /// - Parameters:
    ///   - previous: the register's last valid reading that is not an estimate.
    ///   - dailyUsage: the subscription's average consumption a day on this register, after the multiplier.
    public func check(index: Double, at moment: Int, previous: Read?, dials: MeterDials, dailyUsage: Double?) -> Outcome {
        guard let previous else { return Outcome(unwound: index, consumption: nil, flags: [], rolledOver: false) }
        let days = max(Double(moment - previous.at) / 86_400, 1.0 / 24)
        let average = dailyUsage.flatMap { $0 > 0 ? $0 : nil }
        var rise = index - previous.index
        var rolledOver = false
        if rise < 0 {
            let wrapped = dials.range - previous.index + index
            let plausible = average.map { wrapped * dials.multiplier <= $0 * days * rolloverFactor } ?? (wrapped < dials.range * rolloverShare)
            guard plausible else {
                return Outcome(unwound: previous.unwound, consumption: nil, flags: [.backwards], rolledOver: false)
            }
            rise = wrapped
            rolledOver = true
        }
        let consumption = rise * dials.multiplier
        var flags: [ReadingFlag] = []
        if consumption == 0, moment > previous.at {
            flags.append(.zero)
        } else if let average, days >= judgedDays {
            let daily = consumption / days
            if daily > average * highFactor { flags.append(.high) }
            if daily < average * lowFactor { flags.append(.low) }
        }
        return Outcome(unwound: previous.unwound + rise, consumption: consumption, flags: flags, rolledOver: rolledOver)
    }
}
