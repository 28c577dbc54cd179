import ArgumentParser
import Contracts
import Foundation
import Pricing

/// `utilis bench pricing`: the pricing library on one core: a year of hourly data under a
/// tariff with four time-of-use periods, three tiers, demand and a fixed charge; then a batch of
/// monthly register bills, as a billing run prices them.
struct PricingBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pricing", abstract: "Yearly hourly bills and monthly register bills priced per second, on one core.")

    @Option(help: "Yearly hourly bills timed.") var yearly = 2000
    @Option(help: "Monthly register bills in the batch.") var monthly = 100_000

    func run() throws {
        let (tariff, version) = Self.tariff()
        let pricer = try Pricer(tariff: tariff, versions: [version])
        var random = SplitMix(seed: 2026)
        // A household's year: a base load and an evening rise, every hour a little different.
        let load = (0..<8760).map { hour -> Double in
            let hourOfDay = hour % 24
            return 0.3 + (17...21).contains(hourOfDay).double * 1.2 + random.unit() * 0.8
        }
        let intervals = IntervalReadings(start: "2023-01-01T00:00", minutes: 60, values: load)
        print("utilis bench pricing")
        print("setup: one thread of \(ProcessInfo.processInfo.activeProcessorCount) cores; tariff \(tariff.code): 4 time-of-use periods (weekday and weekend schedules),")
        print("       3 tiers a period, flat and time-of-use demand, a fixed charge, VAT; amounts exact to 10^-15, rounded per line")

        var sample = try pricer.priceYear(2023, intervals: intervals)
        var times: [Double] = []
        for _ in 0..<yearly {
            let begin = ContinuousClock.now
            sample = try pricer.priceYear(2023, intervals: intervals)
            times.append((ContinuousClock.now - begin).microseconds)
        }
        times.sort()
        print("yearly hourly bill (8,760 values, 12 monthly bills): \(yearly) bills, mean \(Self.format(times.reduce(0, +) / Double(times.count))) µs,",
              "p50 \(Self.format(times[times.count / 2])) µs, p99 \(Self.format(times[times.count * 99 / 100])) µs (target under 200 µs); annual total \(sample.total) cents")

        let periods = version.energy.periods.map(\.name)
        let requests = (0..<monthly).map { i -> PriceRequest in
            var registers: [String: Double] = [:]
            for name in periods { registers[name] = (100 + random.unit() * 400).rounded() }
            return PriceRequest(
                tariffCode: tariff.code, from: "2024-03-01", to: "2024-03-31",
                consumption: Consumption(registers: registers, demand: ["peak": 3 + random.unit() * 5, "on-peak": 2 + random.unit() * 4]),
                useType: .residential, meters: 1 + i % 2)
        }
        let (seconds, billed, lines) = try Self.time(pricer, requests)
        print("monthly register bills: \(monthly) in one batch (4 registers and a demand register each, \(lines / monthly) lines a bill) in \(Self.format(seconds * 1000)) ms:",
              "\(Int(Double(monthly) / seconds)) bills/s, \(Self.format(seconds * 1e6 / Double(monthly))) µs a bill (target at least 500,000 bills/s); billed \(billed) cents")

        // The commonest bill: one register, three blocks, a fixed charge, no time of use.
        var simple = version
        simple.energy = EnergyCharge(tiers: version.energy.periods[1].tiers)
        simple.demand = nil
        let tiered = try Pricer(tariff: tariff, versions: [simple])
        let single = requests.map { request in
            PriceRequest(tariffCode: tariff.code, from: request.from, to: request.to, consumption: Consumption(registers: ["total": request.consumption.registers.values.reduce(0, +)]))
        }
        let (simpleSeconds, simpleBilled, simpleLines) = try Self.time(tiered, single)
        print("monthly register bills, tiered without time of use or demand (one register, \(simpleLines / monthly) lines a bill): \(monthly) in \(Self.format(simpleSeconds * 1000)) ms:",
              "\(Int(Double(monthly) / simpleSeconds)) bills/s, \(Self.format(simpleSeconds * 1e6 / Double(monthly))) µs a bill; billed \(simpleBilled) cents")
    }

    static func time(_ pricer: Pricer, _ requests: [PriceRequest]) throws -> (seconds: Double, billed: Int, lines: Int) {
        let begin = ContinuousClock.now
        var billed = 0
        var lines = 0
        for i in requests.indices {
            let quote = try pricer.price(requests[i])
            billed &+= quote.total
            lines += quote.lines.count
        }
        return ((ContinuousClock.now - begin).seconds, billed, lines)
    }

    static func format(_ value: Double) -> String { String(format: value < 10 ? "%.2f" : "%.1f", value) }

    /// Four periods: on-peak weekday evenings, mid-peak weekday days, off-peak nights and
    /// weekends, and a summer critical period on weekday afternoons in July and August.
    static func tariff() -> (Tariff, TariffVersion) {
        func tiers(_ base: String) -> [Tier] {
            let price = TariffDecimal(base)!
            return [Tier(upTo: TariffDecimal(300), price: price), Tier(upTo: TariffDecimal(600), price: TariffDecimal(nanos: price.nanos * 5 / 4)),
                    Tier(upTo: nil, price: TariffDecimal(nanos: price.nanos * 3 / 2))]
        }
        let weekday = (1...12).map { month in
            (0..<24).map { hour -> Int in
                if (7...8).contains(month), (13...16).contains(hour) { return 3 }
                if (17...21).contains(hour) { return 0 }
                if (7...16).contains(hour) { return 1 }
                return 2
            }
        }
        let weekend = Array(repeating: Array(repeating: 2, count: 24), count: 12)
        let tariff = Tariff(code: "E-TOU-4", name: "Residential time of use", utility: .electricity, useType: .residential, region: "CENTRAL", currency: "USD", minorDigits: 2, unit: "kWh")
        let version = TariffVersion(
            effectiveFrom: "2023-01-01", fixedCharges: [FixedCharge(name: "Service charge", amount: TariffDecimal("9.5")!, per: .month)],
            energy: EnergyCharge(
                periods: [
                    RatePeriod(name: "on-peak", tiers: tiers("0.31")), RatePeriod(name: "mid-peak", tiers: tiers("0.19")),
                    RatePeriod(name: "off-peak", tiers: tiers("0.11")), RatePeriod(name: "critical", tiers: tiers("0.52")),
                ], weekdaySchedule: weekday, weekendSchedule: weekend),
            demand: DemandCharge(
                flat: DemandCharge.Flat(periods: [RatePeriod(name: "month", tiers: [Tier(upTo: TariffDecimal(5), price: TariffDecimal("4.25")!), Tier(upTo: nil, price: TariffDecimal("6.1")!)])], months: Array(repeating: 0, count: 12)),
                timeOfUse: DemandCharge.TimeOfUse(
                    periods: [RatePeriod(name: "on-peak", tiers: [Tier(upTo: nil, price: TariffDecimal("7.75")!)]), RatePeriod(name: "other", tiers: [Tier(upTo: nil, price: .zero)])],
                    weekdaySchedule: weekday.map { $0.map { $0 == 0 ? 0 : 1 } }, weekendSchedule: weekend.map { $0.map { _ in 1 } })),
            taxes: [Tax(name: "VAT", percent: TariffDecimal(9), on: [.fixed, .energy, .demand])])
        return (tariff, version)
    }
}

/// A small reproducible generator: the same load every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

extension Bool {
    var double: Double { self ? 1 : 0 }
}

extension Duration {
    var microseconds: Double { Double(components.seconds) * 1e6 + Double(components.attoseconds) / 1e12 }
}
