import Foundation
import Logging
import Postgres
import Testing
import TestSupport

struct Meter: Codable, Equatable, Sendable {
    var serial: String
    var dials: Int
    var seals: [String]
}

@Suite struct PostgresConnectionTests {
    @Test func everyColumnTypeRoundTrips() async throws {
        let db = PostgresConnection(configuration: try await TestEnvironment.freshDatabase("pg-types"))
        let id = UUID()
        let readAt = Date(timeIntervalSince1970: 1_764_577_012.345678)
        let meter = Meter(serial: "EM-0042", dials: 6, seals: ["S1", "S\"2"])
        let row = try await db.query(
            """
            SELECT $1::int AS small, $2::bigint AS big, $3::text AS name, $4::bool AS active, $5::timestamptz AS read_at,
                   $6::date AS due, $7::uuid AS id, $8::numeric AS price, $9::jsonb AS meter, $10::bytea AS blob,
                   $11::text[] AS names, $12::bigint[] AS numbers, $13::text AS missing
            """,
            [
                Int32(-7), Int64(9_000_000_000_123), "Ålesund 'quoted' \\ back", true, readAt,
                PostgresDate(year: 2027, month: 2, day: 28), id, Decimal(string: "0.123456789")!, PostgresJSON(meter),
                Data([0, 1, 0xAB, 0xFF]), ["plain", "with,comma", "with \"quote\"", "back\\slash", "", "Tehrān تهران"], [Int64(1), -2, 3],
                String?.none,
            ])[0]
        #expect(try row.decode(Int32.self, "small") == -7)
        #expect(try row.decode(Int64.self, "big") == 9_000_000_000_123)
        #expect(try row.decode(String.self, "name") == "Ålesund 'quoted' \\ back")
        #expect(try row.decode(Bool.self, "active"))
        #expect(abs(try row.decode(Date.self, "read_at").timeIntervalSince(readAt)) < 0.000_002)
        #expect(try row.decode(PostgresDate.self, "due") == PostgresDate(year: 2027, month: 2, day: 28))
        #expect(try row.decode(UUID.self, "id") == id)
        #expect(try row.decode(Decimal.self, "price") == Decimal(string: "0.123456789")!)
        #expect(try row.decode(PostgresJSON<Meter>.self, "meter").value == meter)
        #expect(try row.decode(Data.self, "blob") == Data([0, 1, 0xAB, 0xFF]))
        #expect(try row.decode([String].self, "names") == ["plain", "with,comma", "with \"quote\"", "back\\slash", "", "Tehrān تهران"])
        #expect(try row.decode([Int64].self, "numbers") == [1, -2, 3])
        #expect(try row.decode(String?.self, "missing") == nil)
        #expect(throws: PostgresError.self) { try row.decode(String.self, "missing") }
        #expect(throws: PostgresError.self) { try row.decode(Int.self, "name") }
    }

    @Test func arraysWithNullsAndTimestampsWithOffsetsDecode() async throws {
        let db = PostgresConnection(configuration: try await TestEnvironment.freshDatabase("pg-arrays"))
        let row = try await db.query(
            "SELECT ARRAY['a', NULL, 'NULL']::text[] AS a, '2026-03-01 10:00:00+03:30'::timestamptz AS t, '{}'::int[] AS e")[0]
        #expect(try row.decode([String?].self, "a") == ["a", nil, "NULL"])
        #expect(try row.decode(Date.self, "t") == Date(timeIntervalSince1970: 1_772_346_600))
        #expect(try row.decode([Int].self, "e") == [])
    }

    @Test func parametersAreNeverSQL() async throws {
        let db = PostgresConnection(configuration: try await TestEnvironment.freshDatabase("pg-injection"))
        try await db.query("CREATE TABLE customers (name text)")
        let hostile = "x'); DROP TABLE customers; --"
        try await db.query("INSERT INTO customers (name) VALUES ($1)", [hostile])
        #expect(try await db.query("SELECT name FROM customers").column(String.self) == [hostile])
    }

    @Test func serverErrorsCarryTheirStateAndConstraint() async throws {
        let db = PostgresConnection(configuration: try await TestEnvironment.freshDatabase("pg-errors"))
        try await db.query("CREATE TABLE meters (serial text CONSTRAINT meters_serial_unique UNIQUE)")
        try await db.query("INSERT INTO meters VALUES ($1)", ["M-1"])
        do {
            try await db.query("INSERT INTO meters VALUES ($1)", ["M-1"])
            Issue.record("a duplicate serial was accepted")
        } catch {
            #expect(error.isUniqueViolation)
            #expect(error.constraint == "meters_serial_unique")
            #expect(error.detail?.contains("M-1") == true)
        }
        await #expect(throws: PostgresError.self) { try await db.query("SELEKT 1") }
        // The connection is still usable.
        #expect(try await db.query("SELECT count(*) FROM meters").scalar(Int.self) == 1)
    }

    @Test func aThrowingTransactionLeavesNothingBehind() async throws {
        let pool = PostgresPool(configuration: try await TestEnvironment.freshDatabase("pg-rollback"))
        try await pool.withConnection { try await $0.query("CREATE TABLE postings (amount bigint)") }
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await pool.transaction { db in
                try await db.query("INSERT INTO postings VALUES (100)")
                throw Refused()
            }
        }
        #expect(try await pool.withConnection { try await $0.query("SELECT count(*) FROM postings").scalar(Int.self) } == 0)
    }

    @Test func serializationFailuresAreRetried() async throws {
        let pool = PostgresPool(configuration: try await TestEnvironment.freshDatabase("pg-retry"), maximumConnections: 8)
        try await pool.withConnection { db in
            try await db.query("CREATE TABLE balance (id int PRIMARY KEY, amount bigint)")
            try await db.query("INSERT INTO balance VALUES (1, 0)")
        }
        let attempts = AttemptCounter()
        // Read-modify-write under SERIALIZABLE: concurrent ones conflict, and each is retried until it commits.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await pool.transaction(isolation: .serializable, attempts: 50) { db in
                        await attempts.increment()
                        let amount = try await db.query("SELECT amount FROM balance WHERE id = 1").scalar(Int.self)
                        try await Task.sleep(for: .milliseconds(5))
                        try await db.query("UPDATE balance SET amount = $1 WHERE id = 1", [amount + 10])
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await pool.withConnection { try await $0.query("SELECT amount FROM balance").scalar(Int.self) } == 80)
        #expect(await attempts.value > 8, "no transaction conflicted, so retry was not exercised")
    }

    @Test func thePoolNeverOpensMoreThanItsLimit() async throws {
        let configuration = try await TestEnvironment.freshDatabase("pg-pool")
        let pool = PostgresPool(configuration: configuration, maximumConnections: 3)
        let peak = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await pool.withConnection { db in
                        try await db.query("SELECT pg_sleep(0.02)")
                        return try await db.query(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1", [configuration.database]
                        ).scalar(Int.self)
                    }
                }
            }
            return try await group.reduce(0, max)
        }
        #expect(peak == 3)
    }

    @Test func notificationsArriveOnListeningConnections() async throws {
        let configuration = try await TestEnvironment.freshDatabase("pg-notify")
        let listener = PostgresConnection(configuration: configuration)
        try await listener.listen("meter_events")
        #expect(try await listener.notifications(timeout: .milliseconds(50)).isEmpty)
        let sender = PostgresConnection(configuration: configuration)
        try await sender.query("SELECT pg_notify($1, $2)", ["meter_events", "installed M-7"])
        var received: [PostgresNotification] = []
        try await eventually("the notification") {
            received += try await listener.notifications(timeout: .milliseconds(200))
            return !received.isEmpty
        }
        #expect(received == [PostgresNotification(channel: "meter_events", payload: "installed M-7")])
        await #expect(throws: PostgresError.self) { try await listener.listen("bad; name") }
    }

    @Test func copyLoadsRowsInBulk() async throws {
        let db = PostgresConnection(configuration: try await TestEnvironment.freshDatabase("pg-copy"))
        try await db.query("CREATE TABLE readings (meter text, value bigint, note text)")
        let rows: [[String?]] = (0..<10_000).map { ["M-\($0)", String($0 * 3), $0 % 2 == 0 ? nil : "tab\there\nnew\\line"] }
        #expect(try await db.copy("COPY readings (meter, value, note) FROM STDIN", rows: rows) == 10_000)
        #expect(try await db.query("SELECT sum(value) FROM readings").scalar(Int.self) == (0..<10_000).reduce(0) { $0 + $1 * 3 })
        #expect(try await db.query("SELECT note FROM readings WHERE meter = 'M-1'").scalar(String.self) == "tab\there\nnew\\line")
        #expect(try await db.query("SELECT count(*) FROM readings WHERE note IS NULL").scalar(Int.self) == 5_000)
        await #expect(throws: PostgresError.self) {
            try await db.copy("COPY readings (meter, value) FROM STDIN", rows: [["M-x", "not a number"]])
        }
        #expect(try await db.query("SELECT count(*) FROM readings").scalar(Int.self) == 10_000)
    }

    @Test func noticesGoToTheLogger() async throws {
        let sink = LogSink()
        let logger = Logger(label: "notices") { _ in sink }
        let db = PostgresConnection(configuration: try await TestEnvironment.freshDatabase("pg-notice"), logger: logger)
        try await db.run(script: "DO $$ BEGIN RAISE NOTICE 'tariff version 7 is not yet effective'; END $$")
        #expect(sink.messages.contains { $0.contains("tariff version 7 is not yet effective") })
    }
}

actor AttemptCounter {
    private(set) var value = 0
    func increment() { value += 1 }
}
