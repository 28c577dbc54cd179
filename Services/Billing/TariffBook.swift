import Contracts
import Foundation
import Messaging
import Postgres
import Pricing
import ServiceKit
import Synchronization

/// The tariffs Billing prices with: kept current from the Tariff service's events in its own
/// table, and, for a code it has not heard of (a tariff created before Billing first ran),
/// asked of the Tariff service once and stored. Each process keeps the pricers it built, and
/// builds one again when the stored tariff changed.
final class TariffBook: Sendable {
    private let pricers = Mutex<[String: (stamp: String, pricer: Pricer)]>([:])
    let requests: RequestClient

    init(requests: RequestClient) { self.requests = requests }

    /// The pricers of the codes, and why each code that has none cannot be priced.
    func pricers(_ codes: Set<String>, on db: PostgresConnection) async throws -> (pricers: [String: Pricer], missing: [String: String]) {
        var found: [String: Pricer] = [:], missing: [String: String] = [:]
        // Each chunk asks; only a tariff whose stamp changed is read whole and built again.
        var stale: [String] = []
        for row in try await db.query("SELECT code, updated_at::text FROM tariffs WHERE code = ANY($1)", [Array(codes)]) {
            let code = try row.decode(String.self, 0), stamp = try row.decode(String.self, 1)
            if let cached = pricers.withLock({ $0[code] }), cached.stamp == stamp { found[code] = cached.pricer } else { stale.append(code) }
        }
        let changed = stale.isEmpty ? nil : try await db.query("SELECT code, updated_at::text, tariff, versions FROM tariffs WHERE code = ANY($1)", [stale])
        for row in changed.map(Array.init) ?? [] {
            let code = try row.decode(String.self, 0), stamp = try row.decode(String.self, 1)
            do {
                let tariff = try JSONBody.decode(Tariff.self, from: try row.decode(String.self, 2))
                let versions = try JSONBody.decode([TariffVersion].self, from: try row.decode(String.self, 3))
                let pricer = try Pricer(tariff: tariff, versions: versions)
                pricers.withLock { $0[code] = (stamp, pricer) }
                found[code] = pricer
            } catch {
                missing[code] = "tariff \(code) cannot price: \(error)"
            }
        }
        for code in codes where found[code] == nil && missing[code] == nil {
            do {
                let record = try await requests.ask(GetTariff(tariffCode: code), timeout: .seconds(10))
                try await Self.store(record.tariff, versions: record.versions, on: db)
                let pricer = try Pricer(tariff: record.tariff, versions: record.versions)
                found[code] = pricer
            } catch {
                missing[code] = "tariff \(code) is not known to Billing and the Tariff service did not give it: \(error)"
            }
        }
        return (found, missing)
    }

    static func store(_ tariff: Tariff, versions: [TariffVersion], on db: PostgresConnection) async throws {
        _ = try await db.query(
            """
            INSERT INTO tariffs (code, tariff, versions) VALUES ($1, $2, $3)
            ON CONFLICT (code) DO UPDATE SET tariff = excluded.tariff, versions = excluded.versions, updated_at = clock_timestamp()
            """, [tariff.code, try json(tariff), try json(versions.sorted { $0.effectiveFrom < $1.effectiveFrom })])
    }

    /// A version published: it takes the place of one of the same date, or joins the others.
    static func publish(_ tariff: Tariff, version: TariffVersion, on db: PostgresConnection) async throws {
        let rows = try await db.query("SELECT versions FROM tariffs WHERE code = $1 FOR UPDATE", [tariff.code])
        var versions = try rows.first.map { try JSONBody.decode([TariffVersion].self, from: try $0.decode(String.self, 0)) } ?? []
        versions.removeAll { $0.effectiveFrom == version.effectiveFrom }
        versions.append(version)
        try await store(tariff, versions: versions, on: db)
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONBody.encode(value), as: UTF8.self)
    }
}
