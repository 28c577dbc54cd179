import Contracts

/// A bill's lines as they are priced, with each line's exact amount beside its rounded one.
/// Rounding per line: the rounded amount is what later lines (a tax) reckon on. Per bill:
/// lines reckon on exact amounts and one rounding line makes their sum the rounded total.
struct BillLines {
    let minorDigits: Int
    var rounding: Rounding
    private(set) var lines: [BillLine] = []
    /// Beside each line, what later lines reckon on, kept apart so reckoning reads no line.
    private var reckoned: [(exact: Exact, charge: UInt8)] = []
    private(set) var total = 0
    /// A line beyond what money in minor units can hold: the bill is refused, not wrapped.
    private(set) var overflowed = false

    init(minorDigits: Int, rounding: Rounding, expectedLines: Int) {
        (self.minorDigits, self.rounding) = (minorDigits, rounding)
        lines.reserveCapacity(expectedLines)
        reckoned.reserveCapacity(expectedLines)
    }

    mutating func add(
        _ kind: BillLine.Kind, _ charge: ChargeKind?, _ name: String, _ part: Int, _ quantity: Double?, _ unit: String?, _ unitPrice: TariffDecimal?,
        _ amount: Exact
    ) {
        guard let minor = Reckoning.minor(amount, minorDigits: minorDigits, rounding.mode) else {
            overflowed = true
            return
        }
        lines.append(BillLine(kind: kind, charge: charge, name: name, part: part, quantity: quantity, unit: unit, unitPrice: unitPrice, amount: minor))
        reckoned.append((rounding.per == .line ? Exact(minor) * Reckoning.exactPerMinor(minorDigits) : amount, charge.map(ChargeMask.bit) ?? 0))
        let (sum, beyond) = total.addingReportingOverflow(minor)
        total = sum
        if beyond { overflowed = true }
    }

    /// The exact sum of the lines from `start` that are (or are on) one of `kinds`.
    func sum(of kinds: ChargeMask, from start: Int) -> Exact {
        var sum: Exact = 0
        for index in start..<reckoned.count where reckoned[index].charge & kinds.bits != 0 { sum += reckoned[index].exact }
        return sum
    }

    /// Per bill: the total rounded once, and the difference from the lines' rounded amounts.
    mutating func closeRounding(part: Int) {
        guard rounding.per == .bill else { return }
        guard let rounded = Reckoning.minor(reckoned.reduce(0) { $0 + $1.exact }, minorDigits: minorDigits, rounding.mode) else {
            overflowed = true
            return
        }
        let difference = rounded - total
        if difference != 0 {
            lines.append(BillLine(kind: .rounding, charge: nil, name: "Rounding", part: part, amount: difference))
            reckoned.append((0, 0))
            total += difference
        }
    }
}

/// A set of charge kinds as bits: what a tax or a minimum reckons on, without a hash set a bill.
struct ChargeMask: Sendable {
    let bits: UInt8
    init(_ kinds: [ChargeKind]) { bits = kinds.reduce(0) { $0 | Self.bit($1) } }
    init(_ kind: ChargeKind) { bits = Self.bit(kind) }
    /// What a minimum charge is measured against.
    static let charged = ChargeMask([.fixed, .energy, .demand])
    static func bit(_ kind: ChargeKind) -> UInt8 {
        switch kind {
        case .fixed: 1
        case .energy: 2
        case .demand: 4
        case .minimum: 8
        }
    }
}
