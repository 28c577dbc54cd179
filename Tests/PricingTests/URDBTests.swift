import Foundation
import Contracts
import Pricing
import Testing

/// The real URDB record in `deploy/tariffs/` (a copy of `../shared/tariffs/`).
@Suite struct URDBTests {
    @Test func theRecordRoundTrips() throws {
        let record = try Fixtures.jacksonRecord()
        let (tariff, version) = try URDB.read(record)
        #expect(tariff.code == "5a0b28045457a3ea2aca608e")
        #expect(tariff.provider == "Jackson Electric Member Corp")
        #expect(tariff.useType == .residential)
        #expect(version.effectiveFrom == "2017-01-01")
        #expect(version.fixedCharges == [FixedCharge(name: "Fixed charge", amount: Fixtures.decimal("5.5"), per: .month)])
        #expect(version.energy.periods.map { $0.tiers.map(\.price.description) } == [["0.0896", "0.0831", "0.0821"], ["0.0896", "0.1121", "0.1181"]])
        #expect(version.energy.weekdaySchedule.map { $0[12] } == [0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0])
        #expect(URDB.record(tariff, version) == record)
        let (again, same) = try URDB.read(URDB.record(tariff, version))
        #expect(again == tariff && same == version)
    }

    /// January is period 1, July (summer) period 2; each month's 1,200 kWh in three blocks.
    @Test func theRecordPricesWinterAndSummerBills() throws {
        let (tariff, version) = try URDB.read(try Fixtures.jacksonRecord(), code: "JEMC-A-SENIOR")
        let pricer = try Pricer(tariff: tariff, versions: [version])
        func bill(_ from: String, _ to: String) throws -> PriceQuote {
            try pricer.price(PriceRequest(tariffCode: tariff.code, from: from, to: to, consumption: Consumption(registers: ["total": 1200])))
        }
        // 5.50 + 650 × 0.0896 + 350 × 0.0831 + 200 × 0.0821 = 5.50 + 58.24 + 29.09 + 16.42.
        #expect(try bill("2024-01-01", "2024-01-31").total == 10925)
        // 5.50 + 58.24 + 350 × 0.1121 (39.235 → 39.24) + 200 × 0.1181 (23.62).
        #expect(try bill("2024-07-01", "2024-07-31").total == 12660)
    }

    @Test func whatPricingCannotTakeIsRefusedByField() throws {
        guard case .object(var root) = try Fixtures.jacksonRecord(), case .array(var items) = root["items"], case .object(var record) = items[0] else {
            Issue.record("the record is not a URDB answer")
            return
        }
        record["fixedchargeunits"] = .string("$/fortnight")
        items[0] = .object(record)
        root["items"] = .array(items)
        #expect(throws: PricingRefused("items[0].fixedchargeunits", "\"$/fortnight\" is not one of [\"$/day\", \"$/month\", \"$/year\"]")) {
            try URDB.read(.object(root))
        }
        record["fixedchargeunits"] = .string("$/month")
        record["energyweekdayschedule"] = .array([])
        items[0] = .object(record)
        root["items"] = .array(items)
        #expect(throws: PricingRefused("energy.weekdaySchedule", "12 months of 24 hours; there are 0 months")) { try URDB.read(.object(root)) }
    }
}

/// The demo's tariffs (`make run` loads them) are tariffs the service takes.
@Suite struct DemoTariffTests {
    struct Entry: Decodable {
        var tariff: Tariff
        var versions: [TariffVersion]
    }

    @Test func everyDemoTariffIsValidAndPrices() throws {
        let file = Fixtures.repositoryRoot.appendingPathComponent("deploy/demo/tariffs.json")
        let entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: file))
        #expect(entries.map(\.tariff.code).contains("E-RES-1"))
        for entry in entries {
            #expect(entry.tariff.problems == [], "\(entry.tariff.code)")
            for version in entry.versions { #expect(version.problems == [], "\(entry.tariff.code) \(version.effectiveFrom)") }
            _ = try Pricer(tariff: entry.tariff, versions: entry.versions)
        }
        // E-RES-1 in November 2026: 240 kWh: 45,000 + 100 × 1,250 + 100 × 2,900 + 40 × 5,900 = 696,000, VAT 69,600, levy 15,000.
        let residential = entries.first { $0.tariff.code == "E-RES-1" }!
        let quote = try Pricer(tariff: residential.tariff, versions: residential.versions)
            .price(PriceRequest(tariffCode: "E-RES-1", from: "2026-11-01", to: "2026-11-30", consumption: Consumption(registers: ["total": 240])))
        #expect(quote.total == 696_000 + 69_600 + 15_000)
    }
}
