import Foundation

extension UUID {
    /// A version 7 UUID (RFC 9562): the milliseconds since 1970 in its first 48 bits, then 74
    /// random bits. Ids made one after another sort together, so a primary key of them fills the
    /// right edge of its b-tree instead of touching a random page (and writing it whole to the WAL
    /// after each checkpoint) for every row, as random ids do once the index is larger than memory.
    public static func timeOrdered(at date: Date = Date()) -> UUID {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var id = UUID().uuid  // random bits, replaced below where the version 7 layout says
        withUnsafeMutableBytes(of: &id) { bytes in
            for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
            bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
            bytes[8] = 0x80 | (bytes[8] & 0x3F)  // the RFC's variant
        }
        return UUID(uuid: id)
    }
}
