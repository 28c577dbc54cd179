import Contracts
import Foundation
import Messaging
import Postgres
import Pricing
import ServiceKit

/// Tariff's queries: the tariffs, one tariff whole, the version in force, and prices.
enum TariffQueries {
    static let names = [FindTariffs.name, GetTariff.name, GetVersionInForce.name, PriceConsumption.name, PriceBatch.name]

    static func handlers(_ environment: ServiceEnvironment, _ pricers: PricerCache) -> [String: QueryResponder.Handler] {
        [
            FindTariffs.type: { message in
                let query = try message.decode(FindTariffs.self)
                return try await environment.database.withConnection { db in try JSONBody.encode(try await find(query, on: db)) }
            },
            GetTariff.type: { message in
                let query = try message.decode(GetTariff.self)
                return try await environment.database.withConnection { db in try JSONBody.encode(try await record(query.tariffCode, on: db)) }
            },
            GetVersionInForce.type: { message in
                let query = try message.decode(GetVersionInForce.self)
                guard Day(query.on) != nil else { throw MessageRejected(field: "on", "\"\(query.on)\" is not a date YYYY-MM-DD") }
                return try await environment.database.withConnection { db in
                    guard let stored = try await TariffStore.load(query.tariffCode, on: db) else {
                        throw MessageRejected(field: "tariffCode", "there is no tariff \(query.tariffCode)")
                    }
                    guard let version = stored.versions.last(where: { $0.effectiveFrom <= query.on }) else {
                        throw MessageRejected(field: "on", "no version of \(query.tariffCode) is in force on \(query.on); the first is from \(stored.versions[0].effectiveFrom)")
                    }
                    return try JSONBody.encode(VersionInForce(tariff: stored.tariff, version: version))
                }
            },
            PriceConsumption.type: { message in
                let query = try message.decode(PriceConsumption.self)
                let entries = try await environment.database.withConnection { db in try await pricers.entries([query.request.tariffCode], on: db) }
                guard let entry = entries[query.request.tariffCode] else {
                    throw MessageRejected(field: "request.tariffCode", "there is no tariff \(query.request.tariffCode)")
                }
                switch entry.price(query.request) {
                case .success(let quote): return try JSONBody.encode(PricedConsumption(quote: quote))
                case .failure(let refused):
                    let first = refused.problems[0]
                    throw MessageRejected(field: "request.\(first.field)", refused.problems.map(\.message).joined(separator: "; "))
                }
            },
            PriceBatch.type: { message in
                let batch = try message.decode(PriceBatch.self)
                guard batch.entries.count <= PriceBatch.maximumEntries else {
                    throw MessageRejected(field: "entries", "at most \(PriceBatch.maximumEntries) a batch; there are \(batch.entries.count)")
                }
                let codes = Set(batch.entries.map(\.request.tariffCode))
                let entries = try await environment.database.withConnection { db in try await pricers.entries(codes, on: db) }
                return try JSONBody.encode(price(batch, entries))
            },
        ]
    }

    /// Each entry priced by its tariff, or answered with why not; one does not stop the rest.
    static func price(_ batch: PriceBatch, _ pricers: [String: PricerCache.Entry]) -> PricedBatch {
        PricedBatch(entries: batch.entries.map { entry in
            guard let pricer = pricers[entry.request.tariffCode] else {
                return .init(id: entry.id, quote: nil, problems: [FieldProblem("tariffCode", "there is no tariff \(entry.request.tariffCode)")])
            }
            switch pricer.price(entry.request) {
            case .success(let quote): return .init(id: entry.id, quote: quote, problems: [])
            case .failure(let refused): return .init(id: entry.id, quote: nil, problems: refused.problems)
            }
        })
    }

    static func find(_ query: FindTariffs, on db: PostgresConnection) async throws -> TariffList {
        let on = query.on ?? Day(number: Int(Date().timeIntervalSince1970 / 86_400)).description
        guard Day(on) != nil else { throw MessageRejected(field: "on", "\"\(on)\" is not a date YYYY-MM-DD") }
        let rows = try await db.query(
            """
            SELECT t.tariff::text, count(*), to_char(max(v.effective_from) FILTER (WHERE v.effective_from <= $2::date), 'YYYY-MM-DD'),
                   to_char(max(v.effective_from), 'YYYY-MM-DD'), to_char(t.retired_from, 'YYYY-MM-DD')
            FROM tariffs t JOIN tariff_versions v ON v.code = t.code
            WHERE $1::text IS NULL OR t.utility = $1
            GROUP BY t.code ORDER BY t.code
            """, [query.utility?.rawValue, on])
        return TariffList(tariffs: try rows.map { row in
            TariffList.Entry(
                tariff: try TariffStore.decode(Tariff.self, try row.decode(String.self, 0)), versions: try row.decode(Int.self, 1),
                inForce: try row.decode(String?.self, 2), latest: try row.decode(String.self, 3), retiredFrom: try row.decode(String?.self, 4))
        })
    }

    static func record(_ code: String, on db: PostgresConnection) async throws -> TariffRecord {
        guard let stored = try await TariffStore.load(code, on: db) else { throw MessageRejected(field: "tariffCode", "there is no tariff \(code)") }
        let audit = try await db.query(
            """
            SELECT action, actor, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), reason, to_char(effective_from, 'YYYY-MM-DD'), changes::text
            FROM tariff_audit WHERE code = $1 ORDER BY id
            """, [code])
        return TariffRecord(
            tariff: stored.tariff, versions: stored.versions, retiredFrom: stored.retiredFrom,
            audit: try audit.map { row in
                TariffRecord.AuditEntry(
                    action: try row.decode(String.self, 0), actor: try row.decode(String.self, 1), at: try row.decode(String.self, 2),
                    reason: try row.decode(String.self, 3), effectiveFrom: try row.decode(String.self, 4),
                    changes: try TariffStore.decode([FeeChange].self, try row.decode(String.self, 5)))
            })
    }
}
