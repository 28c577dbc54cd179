import Contracts

extension Ageing {
    /// What is open and not held on `items`, by days past each item's due date on `asOf`.
    public static func of(_ items: [OpenItem], asOf: Int) -> Ageing {
        var ageing = Ageing()
        for item in items where item.available > 0 {
            guard let due = LedgerDate.day(item.dueDate) else { continue }
            ageing.add(item.available, daysPastDue: asOf - due)
        }
        return ageing
    }

    /// Counts `amount` in its bucket: not yet overdue (due today or later), or up to 30, 31–60,
    /// 61–90, over 90 days past due.
    public mutating func add(_ amount: Int, daysPastDue days: Int) {
        switch days {
        case ...0: current += amount
        case 1...30: days0to30 += amount
        case 31...60: days31to60 += amount
        case 61...90: days61to90 += amount
        default: over90 += amount
        }
    }
}
