import Contracts

/// A calendar day as a count from 1970-01-01, with the civil-date arithmetic pricing needs
/// (months, their lengths, weekdays) done in integers: a bill never waits on a calendar object.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var number: Int
    public init(number: Int) { self.number = number }

    public init(year: Int, month: Int, day: Int) { number = CivilCalendar.days(year: year, month: month, day: day) }

    /// `YYYY-MM-DD`, a real date, or nil.
    public init?(_ text: some StringProtocol) {
        // Read in place where the text is contiguous (it is, for a native string): no copy a bill.
        guard let day = text.utf8.withContiguousStorageIfAvailable({ Day(bytes: $0) }) ?? Day(bytes: Array(text.utf8)) else { return nil }
        self = day
    }

    init?<Bytes: RandomAccessCollection<UInt8>>(bytes: Bytes) where Bytes.Index == Int {
        let at = bytes.startIndex
        guard bytes.count == 10, bytes[at + 4] == UInt8(ascii: "-"), bytes[at + 7] == UInt8(ascii: "-"),
            let year = Self.digits(bytes, 0, 4), let month = Self.digits(bytes, 5, 2), let day = Self.digits(bytes, 8, 2),
            (1...12).contains(month), day >= 1, day <= Self.daysIn(year: year, month: month)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    static func digits<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ start: Int, _ count: Int) -> Int? where Bytes.Index == Int {
        var value = 0
        for byte in bytes[bytes.startIndex + start..<bytes.startIndex + start + count] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    public var civil: (year: Int, month: Int, day: Int) { CivilCalendar.civil(days: number) }

    /// ISO: 1 Monday … 7 Sunday (1970-01-01 was a Thursday).
    public var weekday: Int { ((number % 7 + 7) % 7 + 3) % 7 + 1 }

    public static func isLeap(_ year: Int) -> Bool { CivilCalendar.isLeap(year) }
    public static func daysIn(year: Int, month: Int) -> Int { CivilCalendar.daysIn(year: year, month: month) }

    public var description: String {
        let (year, month, day) = civil
        guard (0...9999).contains(year) else { return Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2) }
        // Written byte by byte: every part of every bill names its days.
        let zero = UInt8(ascii: "0")
        return String(unsafeUninitializedCapacity: 10) { buffer in
            buffer[0] = zero + UInt8(year / 1000)
            buffer[1] = zero + UInt8(year / 100 % 10)
            buffer[2] = zero + UInt8(year / 10 % 10)
            buffer[3] = zero + UInt8(year % 10)
            buffer[4] = UInt8(ascii: "-")
            buffer[5] = zero + UInt8(month / 10)
            buffer[6] = zero + UInt8(month % 10)
            buffer[7] = UInt8(ascii: "-")
            buffer[8] = zero + UInt8(day / 10)
            buffer[9] = zero + UInt8(day % 10)
            return 10
        }
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    public static func < (a: Day, b: Day) -> Bool { a.number < b.number }
}

/// A wall-clock minute, `YYYY-MM-DDTHH:MM` (seconds, if given, must be zero).
struct Minute {
    let day: Day
    let minuteOfDay: Int

    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 16 || (bytes.count == 19 && bytes[16] == UInt8(ascii: ":") && bytes[17...18].allSatisfy { $0 == UInt8(ascii: "0") }),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"),
            let day = Day(String(decoding: bytes[0..<10], as: UTF8.self)),
            let hour = Day.digits(bytes, 11, 2), let minute = Day.digits(bytes, 14, 2), hour < 24, minute < 60
        else { return nil }
        (self.day, minuteOfDay) = (day, hour * 60 + minute)
    }
}
