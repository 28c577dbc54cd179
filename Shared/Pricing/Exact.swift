import Contracts

/// Money reckoned exactly: 10⁻¹⁵ of the currency's major unit, the product of a quantity in
/// millionths (µkWh) and a price in billionths. Nothing is rounded until the version says; at
/// these scales an Int128 holds a trillion units of currency with room for a factor.
typealias Exact = Int128

enum Reckoning {
    static let quantityScale: Int64 = 1_000_000
    static let exactPerUnit: Int128 = 1_000_000_000_000_000

    /// A consumption in millionths of its unit.
    /// Half away from zero; without `rounded()`, a call into libm for every interval.
    static func micro(_ value: Double) -> Int64 { Int64(value * Double(quantityScale) + (value < 0 ? -0.5 : 0.5)) }
    static func quantity(_ micro: Int64) -> Double { Double(micro) / Double(quantityScale) }
    /// A tariff number (a tier limit) in millionths.
    static func micro(_ value: TariffDecimal) -> Int64 { value.nanos / 1000 }

    static func cost(_ microQuantity: Int64, _ price: TariffDecimal) -> Exact { Exact(microQuantity) * Exact(price.nanos) }
    /// An amount of the tariff (a fee in major units) as exact money.
    static func money(_ amount: TariffDecimal) -> Exact { Exact(amount.nanos) * 1_000_000 }

    static func times(_ amount: Exact, _ factor: TariffDecimal) -> Exact { scaled(amount, Exact(factor.nanos), Exact(TariffDecimal.scale)) }
    static func percent(_ amount: Exact, _ percent: TariffDecimal) -> Exact { scaled(amount, Exact(percent.nanos), Exact(TariffDecimal.scale) * 100) }

    /// `amount × by / per`, the amount divided first so a large bill times a factor stays in 128 bits.
    private static func scaled(_ amount: Exact, _ by: Exact, _ per: Exact) -> Exact {
        let (whole, rest) = amount.quotientAndRemainder(dividingBy: per)
        return whole * by + divide(rest * by, per, .halfEven)
    }
    static func share(_ amount: Exact, _ numerator: Int, _ denominator: Int) -> Exact {
        numerator == denominator ? amount : divide(amount * Exact(numerator), Exact(denominator), .halfEven)
    }

    /// `quantity × part / whole` in millionths, half-even.
    static func share(_ quantity: Int64, _ part: Int64, _ whole: Int64) -> Int64 {
        let (product, overflow) = quantity.multipliedReportingOverflow(by: part)
        return overflow ? Int64(divide(Exact(quantity) * Exact(part), Exact(whole), .halfEven)) : divide(product, whole, .halfEven)
    }

    /// `numerator / denominator` rounded by `mode` (the denominator is positive).
    @inline(__always)
    static func divide(_ numerator: Exact, _ denominator: Exact, _ mode: Rounding.Mode) -> Exact {
        // A 128-bit division is ten times a 64-bit one; most amounts fit in 64 bits.
        if let n = Int64(exactly: numerator), let d = Int64(exactly: denominator) { return Exact(rounded(n, d, mode)) }
        return rounded(numerator, denominator, mode)
    }

    static func divide(_ numerator: Int64, _ denominator: Int64, _ mode: Rounding.Mode) -> Int64 { rounded(numerator, denominator, mode) }

    @inline(__always)
    private static func rounded<Integer: FixedWidthInteger & SignedInteger>(_ numerator: Integer, _ denominator: Integer, _ mode: Rounding.Mode) -> Integer {
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        if remainder == 0 { return quotient }
        let away: Integer = numerator < 0 ? -1 : 1
        switch mode {
        case .down: return quotient  // toward zero
        case .up: return quotient + away
        case .halfUp, .halfEven:
            let twice = remainder.magnitude * 2
            if twice > denominator.magnitude { return quotient + away }
            if twice < denominator.magnitude { return quotient }
            if mode == .halfUp { return quotient + away }
            return quotient % 2 == 0 ? quotient : quotient + away
        }
    }

    private static let perMinor: [Exact] = (0...4).map { digits in (0..<digits).reduce(exactPerUnit) { value, _ in value / 10 } }
    static func exactPerMinor(_ minorDigits: Int) -> Exact { perMinor[minorDigits] }

    /// Exact money in the currency's minor units; nil beyond what an Int holds.
    static func minor(_ amount: Exact, minorDigits: Int, _ mode: Rounding.Mode) -> Int? {
        // The commonest digits spelled out: a constant divisor is a multiplication, not a division.
        switch minorDigits {
        case 2: Int(exactly: divide(amount, 10_000_000_000_000, mode))
        case 0: Int(exactly: divide(amount, exactPerUnit, mode))
        default: Int(exactly: divide(amount, exactPerMinor(minorDigits), mode))
        }
    }
}
