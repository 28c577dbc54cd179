import Contracts
import Messaging
import Postgres
import Reporting

/// `reports.run-report`: the definition compiled from the catalog (refused field by field
/// otherwise), run read-only with a time limit, its rows as text.
enum ReportQueries {
    static let timeLimit = "30s"

    static func run(_ report: ReportDefinition, on database: PostgresPool) async throws -> [UInt8] {
        let compiled: CompiledReport
        switch ReportCompiler.compile(report) {
        case .success(let report): compiled = report
        case .failure(let refused): throw MessageRejected(field: refused.problems.first?.field, refused.description)
        }
        let parameters: [any PostgresBindable] = compiled.parameters.map {
            switch $0 {
            case .text(let value): value
            case .list(let values): values
            }
        }
        let rows = try await database.transaction { db in
            try await db.query("SET TRANSACTION READ ONLY")
            try await db.query("SET LOCAL statement_timeout = '\(timeLimit)'")
            try await db.query("SET LOCAL timezone = 'UTC'")
            return try await db.query(compiled.sql, parameters).map { row in compiled.columns.indices.map { row[$0] } }
        }
        let table = ReportTable(columns: compiled.columns, rows: Array(rows.prefix(compiled.limit)), source: compiled.source, truncated: rows.count > compiled.limit)
        return try JSONBody.encode(table)
    }
}
