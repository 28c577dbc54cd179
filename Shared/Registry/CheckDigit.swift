/// Reference numbers people type and read out (customer and subscription numbers): a running
/// number with a Luhn check digit at the end, so a mistyped or swapped digit is caught before
/// it finds the wrong customer.
public enum CheckDigit {
    /// The Luhn check digit of `digits`.
    public static func luhn(_ digits: String) -> Int {
        var sum = 0
        for (index, character) in digits.reversed().enumerated() {
            guard let digit = character.wholeNumberValue else { return -1 }
            var value = index % 2 == 0 ? digit * 2 : digit
            if value > 9 { value -= 9 }
            sum += value
        }
        return (10 - sum % 10) % 10
    }

    /// `prefix` + the number padded to `width` digits + its check digit: `C-00000421-7`.
    public static func reference(_ prefix: String, _ number: Int, width: Int = 8) -> String {
        let digits = String(number).leftPadded(to: width)
        return "\(prefix)-\(digits)-\(luhn(digits))"
    }

    /// Whether `text` is a reference of this prefix whose check digit fits.
    public static func isValid(_ text: String, prefix: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == prefix, !parts[1].isEmpty, parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber),
            parts[2].count == 1, let check = parts[2].first?.wholeNumberValue
        else { return false }
        return luhn(String(parts[1])) == check
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
