import Foundation
import Postgres
import Testing
import TestSupport

@Suite struct MigratorTests {
    let schema = MigrationSet(component: "ledger", migrations: [
        Migration(version: 1, name: "accounts", sql: "CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);"),
        Migration(version: 2, name: "postings", sql: """
            CREATE TABLE postings (id bigserial PRIMARY KEY, account bigint REFERENCES accounts, amount bigint NOT NULL);
            CREATE INDEX postings_account ON postings (account);
            """),
    ])

    @Test func twoRunnersAtOnceApplyEachMigrationOnce() async throws {
        let configuration = try await TestEnvironment.freshDatabase("migrate-race")
        let results = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 { group.addTask { try await Migrator.apply([schema], to: configuration) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.flatMap { $0 }.sorted() == ["ledger/0001_accounts", "ledger/0002_postings"])
        let db = PostgresConnection(configuration: configuration)
        #expect(try await db.query("SELECT count(*) FROM schema_migrations").scalar(Int.self) == 2)
        #expect(try await Migrator.apply([schema], to: configuration).isEmpty)
    }

    @Test func aChangedMigrationIsRefused() async throws {
        let configuration = try await TestEnvironment.freshDatabase("migrate-changed")
        try await Migrator.apply([schema], to: configuration)
        var edited = schema
        edited.migrations[0].sql += " -- edited"
        await #expect(throws: PostgresError.self) { try await Migrator.apply([edited], to: configuration) }
    }

    @Test func aFailingMigrationLeavesNoHalfAppliedSchema() async throws {
        let configuration = try await TestEnvironment.freshDatabase("migrate-fail")
        var broken = schema
        broken.migrations.append(Migration(version: 3, name: "broken", sql: "CREATE TABLE bills (id int); CREATE TABLE oops (;"))
        await #expect(throws: PostgresError.self) { try await Migrator.apply([broken], to: configuration) }
        let db = PostgresConnection(configuration: configuration)
        #expect(try await db.query("SELECT count(*) FROM schema_migrations").scalar(Int.self) == 2)
        #expect(try await db.query("SELECT to_regclass('bills') IS NULL").scalar(Bool.self))
    }

    @Test func filesAreReadByTheirNumber() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "SELECT 2;".write(to: folder.appendingPathComponent("0002_second.sql"), atomically: true, encoding: .utf8)
        try "SELECT 1;".write(to: folder.appendingPathComponent("0001_first.sql"), atomically: true, encoding: .utf8)
        let set = try MigrationSet.load(component: "x", from: folder)
        #expect(set.migrations.map(\.name) == ["first", "second"])
        try "SELECT 3;".write(to: folder.appendingPathComponent("third.sql"), atomically: true, encoding: .utf8)
        #expect(throws: PostgresError.self) { try MigrationSet.load(component: "x", from: folder) }
    }
}
