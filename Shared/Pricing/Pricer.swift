import Contracts

/// Prices consumption by a tariff: a period cut into parts at month and version boundaries,
/// each part's lines (fixed, energy, demand, region factor, minimum, discounts, taxes) by its
/// version, rounded where the versions say.
public struct Pricer: Sendable {
    public let tariff: Tariff
    let lists: [PriceList]

    /// Refused when the tariff or a version is not valid, naming the field.
    public init(tariff: Tariff, versions: [TariffVersion]) throws(PricingRefused) {
        var problems = tariff.problems
        guard !versions.isEmpty else { throw PricingRefused("versions", "tariff \(tariff.code) has no version") }
        for (index, version) in versions.enumerated() {
            problems += version.problems.map { FieldProblem("versions[\(index)].\($0.field)", $0.message) }
        }
        guard problems.isEmpty else { throw PricingRefused(problems) }
        self.tariff = tariff
        lists = versions.sorted { $0.effectiveFrom < $1.effectiveFrom }.map { PriceList($0, unit: tariff.unit) }
    }

    public func price(_ request: PriceRequest) throws(PricingRefused) -> PriceQuote {
        guard let from = Day(request.from) else { throw PricingRefused("from", "\"\(request.from)\" is not a date YYYY-MM-DD") }
        guard let to = Day(request.to) else { throw PricingRefused("to", "\"\(request.to)\" is not a date YYYY-MM-DD") }
        guard from <= to, to.number - from.number < 366 else { throw PricingRefused("to", "a period runs from its first day to its last, at most a year") }
        let meters = request.meters ?? 1
        guard (1...1000).contains(meters) else { throw PricingRefused("meters", "\(meters) is not a number of meters (1 to 1000)") }
        return try withUnsafeTemporaryAllocation(of: BillingPart.self, capacity: mostParts) { (space) throws(PricingRefused) -> PriceQuote in
            let (parts, size) = try parts(from: from, to: to, into: space)
            // The period's sums on the stack: an array a bill was an allocation and a generic call.
            return try withUnsafeTemporaryAllocation(of: Int64.self, capacity: size) { (usage) throws(PricingRefused) -> PriceQuote in
                usage.initialize(repeating: 0)
                try add(request.consumption, parts, to: usage)
                return try quote(request, from: from, to: to, parts, usage, meters: meters)
            }
        }
    }

    private func quote(
        _ request: PriceRequest, from: Day, to: Day, _ parts: BillingParts, _ usage: UnsafeMutableBufferPointer<Int64>, meters: Int
    ) throws(PricingRefused) -> PriceQuote {
        if request.consumption.intervals == nil, request.consumption.demand.isEmpty,
            let charged = parts.first(where: { lists[$0.list].chargesDemand })
        {
            throw PricingRefused("consumption.demand", "the version from \(lists[charged.list].effectiveFrom) charges for demand: give the peak")
        }
        let lastRounding = lists[parts[parts.count - 1].list].rounding
        let region = request.region ?? tariff.region
        let capacity = parts.reduce(1) { $0 + lists[$1.list].mostLines }
        var (total, overflowed, full) = (0, false, false)
        let lines = withUnsafeTemporaryAllocation(of: BillLines.Reckoned.self, capacity: capacity) { reckoned in
            [BillLine](unsafeUninitializedCapacity: capacity) { buffer, count in
                var bill = BillLines(minorDigits: tariff.minorDigits, rounding: lastRounding, lines: buffer, reckoned: reckoned)
                for (index, part) in parts.enumerated() {
                    bill.rounding = lists[part.list].rounding
                    price(part, index, UnsafeBufferPointer(usage), lists[part.list], region: region, meters: meters, request, &bill)
                }
                bill.rounding = lastRounding
                bill.closeRounding(part: parts.count - 1)
                (count, total, overflowed, full) = (bill.count, bill.total, bill.overflowed, bill.full)
            }
        }
        if overflowed { throw PricingRefused("consumption", "the bill's amounts are beyond what can be reckoned: check the quantities") }
        if full { throw PricingRefused("tariff", "the bill has more lines than its versions can have: a fault in pricing, reported rather than billed") }
        // A part that is the whole period names its days as the request did: no dates written a bill.
        func text(_ day: Day) -> String { day == from ? request.from : day == to ? request.to : day.description }
        return PriceQuote(
            tariffCode: tariff.code, currency: tariff.currency, minorDigits: tariff.minorDigits, from: request.from, to: request.to,
            parts: parts.map { PriceQuote.Part(from: text($0.first), to: text($0.last), version: lists[$0.list].effectiveFromText) },
            lines: lines, total: total)
    }

    private func price(
        _ part: BillingPart, _ index: Int, _ usage: UnsafeBufferPointer<Int64>, _ list: PriceList, region: String, meters: Int, _ request: PriceRequest,
        _ bill: inout BillLines
    ) {
        let start = bill.count

        list.fixedCharges.withUnsafeBufferPointer { charges in
            for charge in charges.indices {
                let (name, amount, days) = (charges[charge].name, charges[charge].amount, part.days)
                switch charges[charge].per {
                case .month:
                    bill.add(.fixed, .fixed, name, index, Double(days) / Double(part.monthDays), "month", amount,
                             Reckoning.share(Reckoning.money(amount), days, part.monthDays))
                case .day:
                    bill.add(.fixed, .fixed, name, index, Double(days), "day", amount, Reckoning.money(amount) * Exact(days))
                case .meterMonth:
                    bill.add(.fixed, .fixed, name, index, Double(meters * days) / Double(part.monthDays), "meter-month", amount,
                             Reckoning.share(Reckoning.money(amount) * Exact(meters), days, part.monthDays))
                case .year:
                    bill.add(.fixed, .fixed, name, index, Double(days) / Double(part.yearDays), "year", amount,
                             Reckoning.share(Reckoning.money(amount), days, part.yearDays))
                }
            }
        }

        energy(part, index, usage[part.energyAt..<part.energyAt + list.energy.count], list, &bill)
        if let flat = list.flatDemand { demand(part, index, usage[part.flatPeakAt..<part.flatPeakAt + list.flatPeriods], flat, &bill) }
        if let timeOfUse = list.timeOfUseDemand {
            demand(part, index, usage[part.timeOfUsePeakAt..<part.timeOfUsePeakAt + list.timeOfUsePeriods], timeOfUse, &bill)
        }

        if let f = list.regionFactors.firstIndex(where: { $0.region == region }) {
            let factor = list.regionFactors[f]
            for (k, kind) in ChargeKind.allCases.enumerated() where factor.on.contains(kind) {
                let base = bill.sum(of: ChargeMask(kind), from: start)
                guard base != 0 else { continue }
                bill.add(.regionFactor, kind, list.regionFactorNames[f][k], index, nil, nil, factor.factor,
                         Reckoning.times(base, TariffDecimal(nanos: factor.factor.nanos - TariffDecimal.scale)))
            }
        }

        if let minimum = list.minimum, minimum.per != .year {
            let least = minimum.per == .month
                ? Reckoning.share(Reckoning.money(minimum.amount), part.days, part.monthDays)
                : Reckoning.money(minimum.amount) * Exact(part.days)
            let charged = bill.sum(of: ChargeMask.charged, from: start)
            if charged < least { bill.add(.minimum, .minimum, "Minimum charge", index, nil, nil, minimum.amount, least - charged) }
        }

        for (d, discount) in list.discounts.enumerated() where qualifies(discount, request) {
            for (k, kind) in ChargeKind.allCases.enumerated() where discount.on.contains(kind) {
                let base = bill.sum(of: ChargeMask(kind), from: start)
                guard base != 0 else { continue }
                bill.add(.discount, kind, list.discountNames[d][k], index, nil, nil, discount.percent,
                         -Reckoning.percent(base, discount.percent))
            }
        }

        list.taxes.withUnsafeBufferPointer { taxes in
            for t in taxes.indices {
                if let percent = taxes[t].percent {
                    let base = bill.sum(of: list.taxOn[t], from: start)
                    bill.add(.tax, nil, list.taxNames[t], index, nil, nil, percent, Reckoning.percent(base, percent))
                }
                if let fixed = taxes[t].fixedPerMonth {
                    bill.add(.tax, nil, taxes[t].name, index, Double(part.days) / Double(part.monthDays), "month", fixed,
                             Reckoning.share(Reckoning.money(fixed), part.days, part.monthDays))
                }
            }
        }
    }

    private func qualifies(_ discount: Discount, _ request: PriceRequest) -> Bool {
        if let useType = request.useType, discount.useTypes.contains(useType) { return true }
        return request.categories.contains { discount.categories.contains($0) }
    }

    /// Tier limits apply to the part's total, and each tier's energy is shared among the
    /// periods by their part of the total, as NREL's System Advisor Model prices tiers with
    /// time of use. Monthly limits are prorated by the part's days of its month; daily limits
    /// are times its days.
    private func energy(_ part: BillingPart, _ index: Int, _ energy: Slice<UnsafeBufferPointer<Int64>>, _ list: PriceList, _ bill: inout BillLines) {
        let total = energy.reduce(0, +)
        guard total > 0 else { return }
        let daily = list.dailyTiers
        func limit(_ block: PriceList.Block) -> Int64 {
            if block.limit == .max { return .max }
            if daily { return block.limit * Int64(part.days) }
            return part.days == part.monthDays
                ? block.limit : Int64(Reckoning.divide(Exact(block.limit) * Exact(part.days), Exact(part.monthDays), .halfEven))
        }
        for (p, periodEnergy) in zip(list.energy.indices, energy) where periodEnergy > 0 {
            var lower: Int64 = 0
            // Read in place: a block copied out of its array is a retain and a release a line.
            list.energy[p].blocks.withUnsafeBufferPointer { blocks in
                for b in blocks.indices {
                    let upper = limit(blocks[b])
                    let inBlock = Swift.max(0, Swift.min(total, upper) - lower)
                    lower = upper
                    guard inBlock > 0 else { break }
                    let quantity = periodEnergy == total ? inBlock : Reckoning.share(inBlock, periodEnergy, total)
                    let price = blocks[b].price
                    bill.add(.energy, .energy, blocks[b].name, index, Reckoning.quantity(quantity), list.unit, price, Reckoning.cost(quantity, price))
                }
            }
        }
    }

    /// The peak in tiers of kW, each at its price, prorated by the part's days of its month.
    private func demand(_ part: BillingPart, _ index: Int, _ peaks: Slice<UnsafeBufferPointer<Int64>>, _ demand: PriceList.Demand, _ bill: inout BillLines) {
        for (p, peak) in zip(demand.periods.indices, peaks) where peak > 0 {
            var lower: Int64 = 0
            demand.periods[p].blocks.withUnsafeBufferPointer { blocks in
                for b in blocks.indices {
                    let limit = blocks[b].limit, price = blocks[b].price
                    let inBlock = Swift.max(0, Swift.min(peak, limit) - lower)
                    lower = limit
                    guard inBlock > 0 else { break }
                    let name = part.days == part.monthDays ? blocks[b].name : "\(blocks[b].name) (\(part.days) of \(part.monthDays) days)"
                    bill.add(.demand, .demand, name, index, Reckoning.quantity(inBlock), "kW", price,
                             Reckoning.share(Reckoning.cost(inBlock, price), part.days, part.monthDays))
                }
            }
        }
    }
}
