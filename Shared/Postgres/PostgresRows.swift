/// The rows a statement returned, copied out of libpq so they can cross threads.
public struct PostgresRows: Sendable, RandomAccessCollection {
    public let columns: [String]
    let values: [String?]
    /// Rows inserted, updated or deleted, for statements that change data.
    public let affectedRows: Int

    init(columns: [String], values: [String?], affectedRows: Int) {
        self.columns = columns
        self.values = values
        self.affectedRows = affectedRows
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { columns.isEmpty ? 0 : values.count / columns.count }

    public subscript(position: Int) -> PostgresRow {
        let width = columns.count
        return PostgresRow(columns: columns, values: values[position * width..<(position + 1) * width])
    }

    /// The first column of every row, decoded.
    public func column<T: PostgresDecodable>(_ type: T.Type = T.self) throws(PostgresError) -> [T] {
        try map { (row) throws(PostgresError) in try row.decode(T.self, 0) }
    }

    /// The only value of a one-row, one-column result.
    public func scalar<T: PostgresDecodable>(_ type: T.Type = T.self) throws(PostgresError) -> T {
        guard let row = first else { throw PostgresError(.decoding, "the query returned no row") }
        return try row.decode(T.self, 0)
    }
}

/// One row: values by column position or name.
public struct PostgresRow: Sendable {
    public let columns: [String]
    let values: ArraySlice<String?>

    /// The raw text of a column, or nil for NULL.
    public subscript(column: Int) -> String? { values[values.startIndex + column] }

    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, _ column: Int) throws(PostgresError) -> T {
        guard column < columns.count else { throw PostgresError(.decoding, "no column \(column)") }
        do {
            return try T.decodePostgres(self[column])
        } catch {
            throw PostgresError(.decoding, "column \(columns[column]): \(error.message)")
        }
    }

    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, _ name: String) throws(PostgresError) -> T {
        guard let index = columns.firstIndex(of: name) else { throw PostgresError(.decoding, "no column named \(name)") }
        return try decode(T.self, index)
    }
}
