import Billing
import Contracts

/// The small JSON columns Billing reads and writes for every bill (a subscription's average a
/// day, a bill's opening readings), by hand: Foundation's coders cost more than the bill.
enum StoredJSON {
    /// `{"total": 8.2}`: a register's average a day; an unreadable text is no history.
    static func usage(_ text: String) -> [String: Double] {
        guard case .object(let entries)? = try? JSONValue.parse(Array(text.utf8)) else { return [:] }
        return entries.compactMapValues { if case .number(let value) = $0 { value } else { nil } }
    }

    static func usage(_ usage: [String: Double]) -> String { JSONValue.object(usage.mapValues { .number($0) }).canonicalJSON }

    static func openings(_ openings: [BillDraft.Closing]) -> String {
        var bytes: [UInt8] = []
        JSONObjectWriter.array(openings, to: &bytes) { opening, bytes in
            JSONObjectWriter.object(to: &bytes) { object in
                object.field("at", opening.read.at)
                object.field("index", opening.read.index)
                object.field("manufacturer", opening.manufacturer)
                object.field("readingId", opening.read.readingId)
                object.field("register", opening.register)
                object.field("serialNumber", opening.serialNumber)
                object.field("source", opening.read.source.rawValue)
                object.field("unwound", opening.read.unwound)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
