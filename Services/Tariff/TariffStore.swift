import Contracts
import Foundation
import Messaging
import Postgres

/// The tariff tables: a tariff with its versions, read and written in the caller's transaction.
enum TariffStore {
    struct Stored: Sendable {
        var tariff: Tariff
        /// Oldest first.
        var versions: [TariffVersion]
        var retiredFrom: String?
        var revision: Int
    }

    /// The tariff and its versions; `lock` holds the row until the transaction ends, so two
    /// publishers of one tariff go one after the other.
    static func load(_ code: String, on db: PostgresConnection, lock: Bool = false) async throws -> Stored? {
        let rows = try await db.query(
            "SELECT tariff::text, to_char(retired_from, 'YYYY-MM-DD'), revision FROM tariffs WHERE code = $1\(lock ? " FOR UPDATE" : "")", [code])
        guard let row = rows.first else { return nil }
        let versions = try await db.query("SELECT version::text FROM tariff_versions WHERE code = $1 ORDER BY effective_from", [code])
        return Stored(
            tariff: try decode(Tariff.self, try row.decode(String.self, 0)),
            versions: try versions.map { try decode(TariffVersion.self, try $0.decode(String.self, 0)) },
            retiredFrom: try row.decode(String?.self, 1), revision: try row.decode(Int.self, 2))
    }

    /// Each code's revision, to tell which priced tariffs are stale.
    static func revisions(_ codes: [String], on db: PostgresConnection) async throws -> [String: Int] {
        let rows = try await db.query("SELECT code, revision FROM tariffs WHERE code = ANY($1)", [codes])
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode(String.self, 0), try $0.decode(Int.self, 1)) })
    }

    static func audit(
        _ code: String, _ action: String, actor: String, reason: String, effectiveFrom: String, changes: [FeeChange], on db: PostgresConnection
    ) async throws {
        try await db.query(
            "INSERT INTO tariff_audit (code, action, actor, reason, effective_from, changes) VALUES ($1, $2, $3, $4, $5::date, $6::jsonb)",
            [code, action, actor, reason, effectiveFrom, try json(changes)])
    }

    static func insert(version: TariffVersion, of code: String, on db: PostgresConnection) async throws {
        try await db.query(
            "INSERT INTO tariff_versions (code, effective_from, version) VALUES ($1, $2::date, $3::jsonb)", [code, version.effectiveFrom, try json(version)])
    }

    static func json(_ value: some Encodable) throws -> String { String(decoding: try JSONBody.encode(value), as: UTF8.self) }
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try JSONBody.decode(T.self, from: text) }
}
