import Contracts

/// A bill's lines as they are priced, with each line's exact amount beside its rounded one.
/// Rounding per line: the rounded amount is what later lines (a tax) reckon on. Per bill:
/// lines reckon on exact amounts and one rounding line makes their sum the rounded total.
///
/// Lines are written in place into the quote's own storage, reserved at once for the most lines
/// the bill's versions can have, and their exact amounts beside them on the stack: no array
/// grows, or is checked for being shared, a line.
struct BillLines {
    let minorDigits: Int
    var rounding: Rounding
    private let lines: UnsafeMutableBufferPointer<BillLine>
    /// Beside each line, what later lines reckon on, kept apart so reckoning reads no line.
    private let reckoned: UnsafeMutableBufferPointer<Reckoned>
    private(set) var count = 0
    private(set) var total = 0
    /// A line beyond what money in minor units can hold: the bill is refused, not wrapped.
    private(set) var overflowed = false
    /// More lines than reserved: a fault in `PriceList.mostLines`, refused rather than written
    /// past the storage.
    private(set) var full = false

    struct Reckoned {
        var exact: Exact
        var charge: UInt8
    }

    /// `lines` is uninitialized; the first `count` are initialized when pricing ends.
    init(minorDigits: Int, rounding: Rounding, lines: UnsafeMutableBufferPointer<BillLine>, reckoned: UnsafeMutableBufferPointer<Reckoned>) {
        (self.minorDigits, self.rounding, self.lines, self.reckoned) = (minorDigits, rounding, lines, reckoned)
    }

    /// `name` and `unit` are taken, not borrowed: borrowed, each was retained twice and released once.
    mutating func add(
        _ kind: BillLine.Kind, _ charge: ChargeKind?, _ name: consuming String, _ part: Int, _ quantity: Double?, _ unit: consuming String?, _ unitPrice: TariffDecimal?,
        _ amount: Exact
    ) {
        guard let minor = Reckoning.minor(amount, minorDigits: minorDigits, rounding.mode) else {
            overflowed = true
            return
        }
        append(BillLine(kind: kind, charge: charge, name: name, part: part, quantity: quantity, unit: unit, unitPrice: unitPrice, amount: minor),
               Reckoned(exact: rounding.per == .line ? Exact(minor) * Reckoning.exactPerMinor(minorDigits) : amount, charge: charge.map(ChargeMask.bit) ?? 0))
        let (sum, beyond) = total.addingReportingOverflow(minor)
        total = sum
        if beyond { overflowed = true }
    }

    /// The line written into the next reserved place, or the bill marked `full` if there is none.
    private mutating func append(_ line: consuming BillLine, _ reckoning: Reckoned) {
        guard count < min(lines.count, reckoned.count), let base = lines.baseAddress else {
            full = true
            return
        }
        (base + count).initialize(to: line)
        reckoned[count] = reckoning
        count += 1
    }

    /// The exact sum of the lines from `start` that are (or are on) one of `kinds`.
    func sum(of kinds: ChargeMask, from start: Int) -> Exact {
        var sum: Exact = 0
        for index in start..<count where reckoned[index].charge & kinds.bits != 0 { sum += reckoned[index].exact }
        return sum
    }

    /// Per bill: the total rounded once, and the difference from the lines' rounded amounts.
    mutating func closeRounding(part: Int) {
        guard rounding.per == .bill else { return }
        var exact: Exact = 0
        for index in 0..<count { exact += reckoned[index].exact }
        guard let rounded = Reckoning.minor(exact, minorDigits: minorDigits, rounding.mode) else {
            overflowed = true
            return
        }
        let difference = rounded - total
        if difference != 0 {
            append(BillLine(kind: .rounding, charge: nil, name: "Rounding", part: part, amount: difference), Reckoned(exact: 0, charge: 0))
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
