import Foundation

/// `timestamptz`. Sessions run in UTC (see `PostgresConfiguration`), so the server prints
/// `2026-12-01 08:16:52.123456+00`; microseconds are kept.
extension Date: PostgresBindable, PostgresTextDecodable {
    public var postgresText: String? {
        let microseconds = (timeIntervalSince1970 * 1_000_000).rounded(.down)
        var seconds = time_t((microseconds / 1_000_000).rounded(.down))
        let fraction = Int(microseconds - Double(seconds) * 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d.%06d+00", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), fraction)
    }

    public init(postgresText text: String) throws(PostgresError) {
        let scalars = Array(text.utf8)
        func number(_ range: Range<Int>) throws(PostgresError) -> Int {
            guard range.upperBound <= scalars.count else { throw decodingError(text, Date.self) }
            var value = 0
            for index in range {
                let digit = Int(scalars[index]) - 48
                guard (0...9).contains(digit) else { throw decodingError(text, Date.self) }
                value = value * 10 + digit
            }
            return value
        }
        var parts = tm()
        parts.tm_year = Int32(try number(0..<4) - 1900)
        parts.tm_mon = Int32(try number(5..<7) - 1)
        parts.tm_mday = Int32(try number(8..<10))
        parts.tm_hour = Int32(try number(11..<13))
        parts.tm_min = Int32(try number(14..<16))
        parts.tm_sec = Int32(try number(17..<19))
        var index = 19
        var fraction = 0.0
        if index < scalars.count, scalars[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < scalars.count, (48...57).contains(scalars[index]) {
                fraction += Double(scalars[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < scalars.count {
            let sign = scalars[index] == UInt8(ascii: "-") ? -1 : 1
            let hours = try number(index + 1..<index + 3)
            let minutes = index + 6 <= scalars.count ? try number(index + 4..<index + 6) : 0
            offset = sign * (hours * 3600 + minutes * 60)
        }
        let seconds = timegm(&parts) - offset
        self = Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}

/// `date`: a calendar day without a time or a zone (a reading date, a tariff's effective date).
public struct PostgresDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, PostgresBindable,
    PostgresTextDecodable
{
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }
    public var postgresText: String? { description }

    public init(postgresText text: String) throws(PostgresError) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else {
            throw decodingError(text, PostgresDate.self)
        }
        self.init(year: y, month: m, day: d)
    }

    public static func < (a: PostgresDate, b: PostgresDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}
