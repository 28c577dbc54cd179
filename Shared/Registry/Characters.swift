/// The shapes of the codes and numbers people type, checked byte by byte. (Swift's regex
/// literals are parsed again at every use on Linux, which made checking a thousand customers
/// cost more than storing them.)
enum ASCII {
    static func isUpper(_ byte: UInt8) -> Bool { byte >= 65 && byte <= 90 }
    static func isLower(_ byte: UInt8) -> Bool { byte >= 97 && byte <= 122 }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
    static func isLetterOrDigit(_ byte: UInt8) -> Bool { isUpper(byte) || isLower(byte) || isDigit(byte) }
}

extension String {
    /// `length` bytes, the first of `first` (or of `rest`), every other of `rest`.
    func isShaped(_ length: ClosedRange<Int>, first: ((UInt8) -> Bool)? = nil, rest: (UInt8) -> Bool) -> Bool {
        let bytes = utf8
        guard length.contains(bytes.count), let head = bytes.first else { return length.lowerBound == 0 && bytes.isEmpty }
        let firstFits = first.map { $0(head) } ?? rest(head)
        return firstFits && bytes.dropFirst().allSatisfy { rest($0) }
    }

    /// A code of capitals and digits, dashes after the first: `TEH-1`, `E-RES-1`, `M01`.
    func isCode(maxLength: Int) -> Bool {
        isShaped(1...maxLength, first: { ASCII.isUpper($0) || ASCII.isDigit($0) }, rest: { ASCII.isUpper($0) || ASCII.isDigit($0) || $0 == 45 })
    }

    /// Exactly `count` capitals: a country (IR) or currency (IRR) code.
    func isCapitals(_ count: Int) -> Bool { isShaped(count...count, rest: ASCII.isUpper) }

    /// A phone number as people write it: an optional +, a digit, then digits, spaces, dashes
    /// and brackets, 5 to 20 in all.
    public var isPhoneNumber: Bool {
        var bytes = Substring(self).utf8[...]
        if bytes.first == 43 { bytes = bytes.dropFirst() }
        guard let first = bytes.first, ASCII.isDigit(first), (5...20).contains(bytes.count) else { return false }
        return bytes.allSatisfy { ASCII.isDigit($0) || $0 == 32 || $0 == 45 || $0 == 40 || $0 == 41 }
    }

    /// Something@somewhere.tld, without spaces.
    var isEmailAddress: Bool {
        let parts = split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !contains(where: \.isWhitespace) else { return false }
        let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return domain.count >= 2 && domain.allSatisfy { !$0.isEmpty }
    }

    /// A BCP 47 tag as used here: a 2 or 3 letter language, then subtags of 2 to 8 letters or
    /// digits: `fa`, `en-GB`, `ar-IQ`.
    var isLanguageTag: Bool {
        let parts = split(separator: "-", omittingEmptySubsequences: false)
        guard let language = parts.first, String(language).isShaped(2...3, rest: ASCII.isLower) else { return false }
        return parts.dropFirst().allSatisfy { String($0).isShaped(2...8, rest: ASCII.isLetterOrDigit) }
    }
}
