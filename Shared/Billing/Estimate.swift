import Contracts

/// Estimation where no valid reading closes a period: the subscription's own average a day,
/// or, for a new subscription, its use type's profile.
public enum Estimate {
    /// Typical consumption a day by utility and use type (kWh for electricity and heat, m³ for
    /// water and gas): the profile of a subscription that has no history yet.
    public static func profile(_ utility: Utility, _ useType: UseType) -> Double {
        let residential: Double = switch utility {
        case .electricity: 8
        case .water: 0.5
        case .gas: 3
        case .heat: 30
        }
        let factor: Double = switch useType {
        case .residential: 1
        case .commercial: 4
        case .industrial: 25
        case .agricultural: 10
        case .public: 6
        }
        return residential * factor
    }

    /// The estimated reading of a register at `moment`, from the last reading known.
    /// - Parameter dailyUsage: after the multiplier.
    public static func reading(from base: Read, to moment: Int, dailyUsage: Double, dials: MeterDials, id: String) -> Read {
        let days = max(Double(moment - base.at) / 86_400, 0)
        // Whole units on the dials, as a meter reader would write them down.
        let rise = (dailyUsage * days / max(dials.multiplier, .leastNonzeroMagnitude)).rounded()
        let unwound = base.unwound + rise
        let index = (base.index + rise).truncatingRemainder(dividingBy: dials.range)
        return Read(readingId: id, index: index, unwound: unwound, at: moment, source: .estimated)
    }
}
