import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// The Tariff service over the real broker and database, as a tariff manager and Billing use it.
@Suite(.serialized) struct TariffServiceTests {
    @Test func createPublishPriceAndAudit() async throws {
        try await withTariff { service in
            try await service.send(CreateTariff(tariff: .residential(), firstVersion: .blocks(from: "2026-01-01"), reason: "Board decision 12"))
            let created = try await service.next(TariffCreated.self)
            #expect(created.tariff.code == "E-RES-T" && created.actor == "user:tariff.manager")

            // From 16 March the middle block costs more and the service charge is 6.
            try await service.send(
                PublishTariffVersion(tariffCode: "E-RES-T", version: .blocks(from: "2026-03-16", fixed: "6", prices: ["0.0896", "0.0900", "0.0821"]), reason: "Fuel costs"),
                actor: "user:parisa")
            let published = try await service.next(TariffVersionPublished.self)
            #expect(published.changes == [
                FeeChange(field: "energy.periods[0].tiers[1].price", before: "0.0831", after: "0.09"),
                FeeChange(field: "fixedCharges[0].amount", before: "5.5", after: "6"),
            ])

            let inForce = try await service.ask(GetVersionInForce(tariffCode: "E-RES-T", on: "2026-03-15"))
            #expect(inForce.version.effectiveFrom == "2026-01-01")
            let record = try await service.ask(GetTariff(tariffCode: "E-RES-T"))
            #expect(record.versions.map(\.effectiveFrom) == ["2026-01-01", "2026-03-16"])
            #expect(record.audit.map(\.action) == ["created", "published"])
            #expect(record.audit.map(\.actor) == ["user:tariff.manager", "user:parisa"])
            #expect(record.audit[1].reason == "Fuel costs" && record.audit[1].changes == published.changes)

            // March, 1,240 kWh: 15 days by the first version, 16 by the second, as the bill shows.
            let quote = try await service.ask(PriceConsumption(request: PriceRequest(
                tariffCode: "E-RES-T", from: "2026-03-01", to: "2026-03-31", consumption: Consumption(registers: ["total": 1240])))).quote
            #expect(quote.parts.map(\.version) == ["2026-01-01", "2026-03-16"])
            // First part: 600 kWh (1240 × 15/31), limits 650 × 15/31 = 314.516129 and 483.870968:
            // 5.5 × 15/31 = 2.66; 314.516129 × 0.0896 = 28.18; 169.354839 × 0.0831 = 14.07; 116.129032 × 0.0821 = 9.53.
            #expect(quote.lines.filter { $0.part == 0 }.map(\.amount) == [266, 2818, 1407, 953])
            // Second: 640 kWh, limits 335.483871 and 516.129032: 6 × 16/31 = 3.10; 30.06; 180.645161 × 0.09 = 16.26; 10.17.
            #expect(quote.lines.filter { $0.part == 1 }.map(\.amount) == [310, 3006, 1626, 1017])
            let expected = [266, 2818, 1407, 953, 310, 3006, 1626, 1017].reduce(0, +)
            #expect(quote.total == expected)

            let list = try await service.ask(FindTariffs(utility: .electricity, on: "2026-02-01"))
            #expect(list.tariffs.map(\.tariff.code) == ["E-RES-T"])
            #expect(list.tariffs[0].versions == 2 && list.tariffs[0].inForce == "2026-01-01" && list.tariffs[0].latest == "2026-03-16")
        }
    }

    @Test func refusalsNameTheFieldAndWriteNothing() async throws {
        try await withTariff { service in
            try await service.send(CreateTariff(tariff: .residential(), firstVersion: .blocks(from: "2026-01-01"), reason: "Board decision 12"))
            _ = try await service.next(TariffCreated.self)

            // Tiers that fall, a schedule with an unknown period, a date that overlaps.
            var falling = TariffVersion.blocks(from: "2026-06-01")
            falling.energy.periods[0].tiers[1].upTo = TariffDecimal(500)
            falling.energy.weekdaySchedule[3][7] = 4
            try await service.send(PublishTariffVersion(tariffCode: "E-RES-T", version: falling, reason: "Review"))
            let refused = try await service.next(TariffCommandRefused.self)
            #expect(refused.problems.map(\.field) == ["version.energy.periods[0].tiers[1].upTo", "version.energy.weekdaySchedule[3][7]"])

            try await service.send(PublishTariffVersion(tariffCode: "E-RES-T", version: .blocks(from: "2025-12-01"), reason: "Backdated"))
            let overlapping = try await service.next(TariffCommandRefused.self)
            #expect(overlapping.problems.map(\.field) == ["version.effectiveFrom"])

            try await service.send(PublishTariffVersion(tariffCode: "E-NONE", version: .blocks(from: "2026-06-01"), reason: "Review"))
            #expect(try await service.next(TariffCommandRefused.self).problems.map(\.field) == ["tariffCode"])
            try await service.send(CreateTariff(tariff: .residential(), firstVersion: .blocks(from: "2026-02-01"), reason: "Again"))
            #expect(try await service.next(TariffCommandRefused.self).problems == [FieldProblem("tariff.code", "tariff E-RES-T exists already: publish a new version of it")])

            // Nothing of those was written: still one version, one audit row.
            let record = try await service.ask(GetTariff(tariffCode: "E-RES-T"))
            #expect(record.versions.count == 1 && record.audit.count == 1)

            // A body that is not a command goes to the dead letters with its field; the service goes on.
            try await service.sendRaw(#"{"tariffCode": "E-RES-T", "version": {"effectiveFrom": 7}}"#, type: PublishTariffVersion.type, routingKey: PublishTariffVersion.routingKey)
            try await eventually("the malformed command is dead-lettered") { (try await service.broker.queueStatus("tariff.commands.dead").messages) > 0 }
            let dead = try #require(try await service.broker.get(queue: "tariff.commands.dead"))
            try await service.broker.ack(dead)
            #expect(String(describing: dead.properties.headers).contains("version"))
            // The versions and audit rows cannot be changed, even by hand.
            let db = PostgresConnection(configuration: service.database, logger: TestEnvironment.logger)
            await #expect(throws: PostgresError.self) { try await db.query("UPDATE tariff_versions SET version = '{}'") }
            await db.close()
            #expect(try await service.ask(GetTariff(tariffCode: "E-RES-T")).versions.count == 1)
        }
    }

    @Test func batchPricingAnswersEachEntryAndRetirementStopsPricing() async throws {
        try await withTariff { service in
            try await service.send(CreateTariff(tariff: .residential(), firstVersion: .blocks(from: "2026-01-01"), reason: "Board decision 12"))
            _ = try await service.next(TariffCreated.self)
            let entries = (0..<2000).map { i in
                PriceBatch.Entry(id: "S-\(i)", request: PriceRequest(
                    tariffCode: i == 7 ? "E-NONE" : "E-RES-T", from: "2026-04-01", to: "2026-04-30", consumption: Consumption(registers: [i == 9 ? "peak" : "total": Double(i)])))
            }
            let priced = try await service.ask(PriceBatch(entries: entries))
            #expect(priced.entries.count == 2000)
            #expect(priced.entries[7].problems.map(\.field) == ["tariffCode"])
            #expect(priced.entries[9].problems.map(\.field) == ["consumption.registers.peak"])
            // 1,200 kWh: 5.50 + 58.24 + 29.09 + 16.42.
            #expect(priced.entries[1200].quote?.total == 10925)
            #expect(priced.entries.filter { $0.quote != nil }.count == 1998)

            // A new version published is priced at once (the service's priced tariffs follow the revision).
            try await service.send(PublishTariffVersion(tariffCode: "E-RES-T", version: .blocks(from: "2026-04-01", fixed: "7"), reason: "Review"))
            _ = try await service.next(TariffVersionPublished.self)
            let after = try await service.ask(PriceConsumption(request: entries[1200].request)).quote
            #expect(after.total == 10925 - 550 + 700)

            try await service.send(RetireTariff(tariffCode: "E-RES-T", from: "2026-05-01", reason: "Replaced by E-RES-2"))
            _ = try await service.next(TariffRetired.self)
            var may = entries[1200].request
            (may.from, may.to) = ("2026-05-01", "2026-05-31")
            #expect(await service.refusal(PriceConsumption(request: may)).contains("request.to: tariff E-RES-T is retired from 2026-05-01"))
            #expect(try await service.ask(PriceConsumption(request: entries[1200].request)).quote.total == after.total)
        }
    }
}
