import Contracts
import Foundation
import Postgres

/// A report an employee saved from the builder, theirs and, when shared, their group's.
struct SavedReport: Codable, Sendable {
    var id: String
    var title: String
    var owner: String
    var sharedWith: String?
    var report: ReportDefinition
    var createdAt: String
}

/// The saved reports, in the cartable's database.
enum SavedReports {
    static let columns = "report_id::text, title, owner, shared_with, definition::text, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

    static func save(title: String, report: ReportDefinition, sharedWith: String?, owner: String, on db: PostgresConnection) async throws -> SavedReport {
        let definition = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        let rows = try await db.query(
            "INSERT INTO saved_reports (report_id, owner, title, definition, shared_with) VALUES ($1::uuid, $2, $3, $4::jsonb, $5) RETURNING \(columns)",
            [UUID().lowercasedText, owner, title, definition, sharedWith])
        return try saved(rows[0])
    }

    /// The employee's own reports and those shared with one of their groups (every one, for an administrator), newest first.
    static func visible(to employee: Employee, on db: PostgresConnection) async throws -> [SavedReport] {
        try await db.query(
            "SELECT \(columns) FROM saved_reports WHERE $3 OR owner = $1 OR shared_with = ANY($2::text[]) ORDER BY created_at DESC, report_id LIMIT 500",
            [employee.username, employee.groups, employee.isAdministrator]
        ).map(saved)
    }

    static func find(_ id: String, visibleTo employee: Employee, on db: PostgresConnection) async throws -> SavedReport? {
        guard UUID(text: id) != nil else { return nil }
        return try await db.query(
            "SELECT \(columns) FROM saved_reports WHERE report_id = $1::uuid AND ($4 OR owner = $2 OR shared_with = ANY($3::text[]))",
            [id, employee.username, employee.groups, employee.isAdministrator]
        ).first.map(saved)
    }

    static func delete(_ id: String, on db: PostgresConnection) async throws {
        try await db.query("DELETE FROM saved_reports WHERE report_id = $1::uuid", [id])
    }

    static func groupExists(_ name: String, on db: PostgresConnection) async throws -> Bool {
        !(try await db.query("SELECT 1 FROM groups WHERE name = $1", [name])).isEmpty
    }

    static func saved(_ row: PostgresRow) throws -> SavedReport {
        SavedReport(
            id: try row.decode(String.self, 0), title: try row.decode(String.self, 1), owner: try row.decode(String.self, 2),
            sharedWith: try row.decode(String?.self, 3),
            report: try JSONBody.decode(ReportDefinition.self, from: try row.decode(String.self, 4)),
            createdAt: try row.decode(String.self, 5))
    }
}
