import Contracts

/// A bill's lines as they are priced, with each line's exact amount beside its rounded one.
/// Rounding per line: the rounded amount is what later lines (a tax) reckon on. Per bill:
/// lines reckon on exact amounts and one rounding line makes their sum the rounded total.
struct BillLines {
    let minorDigits: Int
    var rounding: Rounding
    private(set) var lines: [BillLine] = []
    private var exact: [Exact] = []

    init(minorDigits: Int, rounding: Rounding) {
        (self.minorDigits, self.rounding) = (minorDigits, rounding)
        lines.reserveCapacity(8)
        exact.reserveCapacity(8)
    }

    mutating func add(
        _ kind: BillLine.Kind, _ charge: ChargeKind?, _ name: String, _ part: Int, _ quantity: Double?, _ unit: String?, _ unitPrice: TariffDecimal?,
        _ amount: Exact
    ) {
        let minor = Reckoning.minor(amount, minorDigits: minorDigits, rounding.mode)
        lines.append(BillLine(kind: kind, charge: charge, name: name, part: part, quantity: quantity, unit: unit, unitPrice: unitPrice, amount: minor))
        exact.append(rounding.per == .line ? Exact(minor) * Reckoning.exactPerMinor(minorDigits) : amount)
    }

    /// The exact sum of the lines from `start` that are (or are on) one of `kinds`.
    func sum(of kinds: Set<ChargeKind>, from start: Int) -> Exact {
        var total: Exact = 0
        for index in start..<lines.count where lines[index].charge.map(kinds.contains) == true { total += exact[index] }
        return total
    }

    var total: Int { lines.reduce(0) { $0 + $1.amount } }

    /// Per bill: the total rounded once, and the difference from the lines' rounded amounts.
    mutating func closeRounding(part: Int) {
        guard rounding.per == .bill else { return }
        let rounded = Reckoning.minor(exact.reduce(0, +), minorDigits: minorDigits, rounding.mode)
        let difference = rounded - total
        if difference != 0 {
            lines.append(BillLine(kind: .rounding, charge: nil, name: "Rounding", part: part, amount: difference))
            exact.append(0)
        }
    }
}
