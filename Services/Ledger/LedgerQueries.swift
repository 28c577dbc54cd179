import Contracts
import Foundation
import Ledger
import Messaging
import Postgres
import ServiceKit

/// The ledger's queries, answered from the stored balances and open items; the check proves
/// those against the postings.
enum LedgerQueries {
    static let names = [GetBalance.name, GetBalances.name, GetStatement.name, GetOpenItems.name, GetAgeing.name, FindDebtors.name, GetDispute.name, CheckLedger.name]

    static func handlers(_ environment: ServiceEnvironment) -> [String: QueryResponder.Handler] {
        let database = environment.database
        return [
            GetBalance.type: { message in
                let query = try message.decode(GetBalance.self)
                let asOf = try day(query.asOf, "asOf")
                let owner = try whose(query.subscriptionNumber, query.customerNumber)
                return try await database.withConnection { db in try JSONBody.encode(try await balances(owner, asOf: asOf, on: db)) }
            },
            GetBalances.type: { message in
                let query = try message.decode(GetBalances.self)
                let asOf = try day(query.asOf, "asOf")
                guard query.subscriptionNumbers.count <= GetBalances.maximumSubscriptions else {
                    throw MessageRejected(field: "subscriptionNumbers", "at most \(GetBalances.maximumSubscriptions) a query")
                }
                return try await database.withConnection { db in
                    try JSONBody.encode(try await balances(.subscriptions(query.subscriptionNumbers), asOf: asOf, on: db))
                }
            },
            GetStatement.type: { message in
                let query = try message.decode(GetStatement.self)
                let from = try day(query.from, "from"), to = try day(query.to, "to")
                guard from <= to else { throw MessageRejected(field: "to", "\(query.to) is before \(query.from)") }
                return try await database.withConnection { db in try JSONBody.encode(try await statement(query, on: db)) }
            },
            GetOpenItems.type: { message in
                let query = try message.decode(GetOpenItems.self)
                let owner = try whose(query.subscriptionNumber, query.customerNumber)
                return try await database.withConnection { db in try JSONBody.encode(try await openItems(owner, on: db)) }
            },
            GetAgeing.type: { message in
                let query = try message.decode(GetAgeing.self)
                let asOf = try day(query.asOf, "asOf")
                return try await database.withConnection { db in try JSONBody.encode(try await ageing(query.customerNumber, asOf: asOf, on: db)) }
            },
            FindDebtors.type: { message in
                let query = try message.decode(FindDebtors.self)
                let asOf = try day(query.asOf, "asOf")
                let limit = query.limit ?? 100
                guard (1...FindDebtors.maximumLimit).contains(limit) else { throw MessageRejected(field: "limit", "must be from 1 to \(FindDebtors.maximumLimit)") }
                guard (query.offset ?? 0) >= 0 else { throw MessageRejected(field: "offset", "must not be negative") }
                return try await database.withConnection { db in
                    try JSONBody.encode(try await debtors(asOf: asOf, minimum: query.minimumOverdue ?? 1, limit: limit, offset: query.offset ?? 0, on: db))
                }
            },
            GetDispute.type: { message in
                let query = try message.decode(GetDispute.self)
                return try await database.withConnection { db in
                    guard let hold = try await LedgerStore.loadHolds([query.disputeId], on: db).first else {
                        throw MessageRejected(field: "disputeId", "there is no dispute \(query.disputeId)")
                    }
                    return try JSONBody.encode(DisputeRecord(
                        disputeId: hold.id, subscriptionNumber: hold.subscriptionNumber, billId: hold.billId, amount: Money(amount: hold.amount, currency: hold.currency),
                        status: hold.status.rawValue, accepted: hold.accepted, reason: hold.reason, openedOn: hold.openedOn))
                }
            },
            CheckLedger.type: { _ in
                try JSONBody.encode(try await database.transaction(isolation: .repeatableRead) { db in try await LedgerCheckQuery.run(on: db) })
            },
        ]
    }

    enum Owner {
        case subscription(String)
        case customer(String)
        /// Many at once; those without accounts are left out, not refused.
        case subscriptions([String])
    }

    static func whose(_ subscription: String?, _ customer: String?) throws(MessageRejected) -> Owner {
        switch (subscription, customer) {
        case (let subscription?, nil): return .subscription(subscription)
        case (nil, let customer?): return .customer(customer)
        default: throw MessageRejected(field: "subscriptionNumber", "name a subscription or a customer, one of them")
        }
    }

    static func day(_ text: String?, _ field: String) throws(MessageRejected) -> String {
        guard let text else { return LedgerDate.today }
        guard LedgerDate.day(text) != nil else { throw MessageRejected(field: field, "\"\(text)\" is not a date YYYY-MM-DD") }
        return text
    }

    static func balances(_ owner: Owner, asOf: String, on db: PostgresConnection) async throws -> Balances {
        let (filter, key): (String, any PostgresBindable) = switch owner {
        case .subscription(let number): ("subscription_number = $1", number)
        case .customer(let number): ("customer_number = $1", number)
        case .subscriptions(let numbers): ("subscription_number = ANY($1)", numbers)
        }
        let rows = try await db.query(
            """
            SELECT a.subscription_number, max(a.customer_number), max(a.currency),
                   max(CASE WHEN a.kind = 'receivable' THEN a.debits - a.credits + a.pending END),
                   max(CASE WHEN a.kind = 'receivable' THEN -a.pending END),
                   max(CASE WHEN a.kind = 'credit' THEN a.credits - a.debits END),
                   max(CASE WHEN a.kind = 'deposit' THEN a.credits - a.debits END),
                   coalesce((SELECT sum(i.open - i.held) FROM open_items i
                             WHERE i.subscription_number = a.subscription_number AND (i.open > 0 OR i.held > 0) AND i.open > i.held
                               AND i.due_date < $2::date), 0)
            FROM accounts a WHERE a.\(filter) AND a.subscription_number IS NOT NULL GROUP BY a.subscription_number ORDER BY a.subscription_number
            """, [key, asOf])
        if rows.isEmpty {
            switch owner {
            case .subscription(let number): throw MessageRejected(field: "subscriptionNumber", "the ledger has no accounts of subscription \(number)")
            case .customer(let number): throw MessageRejected(field: "customerNumber", "the ledger has no accounts of customer \(number)")
            case .subscriptions: break
            }
        }
        let entries = try rows.map { row in
            BalanceChanged.Entry(
                subscriptionNumber: try row.decode(String.self, 0), customerNumber: try row.decode(String?.self, 1),
                balance: LedgerBalance(
                    currency: try row.decode(String.self, 2), due: try row.decode(Int.self, 3), overdue: try row.decode(Int.self, 7),
                    held: try row.decode(Int.self, 4), credit: try row.decode(Int.self, 5), deposit: try row.decode(Int.self, 6)))
        }
        var totals: [String: LedgerBalance] = [:]
        for entry in entries {
            var total = totals[entry.balance.currency] ?? LedgerBalance(currency: entry.balance.currency, due: 0, overdue: 0, held: 0, credit: 0, deposit: 0)
            total.due += entry.balance.due
            total.overdue += entry.balance.overdue
            total.held += entry.balance.held
            total.credit += entry.balance.credit
            total.deposit += entry.balance.deposit
            totals[entry.balance.currency] = total
        }
        return Balances(asOf: asOf, subscriptions: entries, totals: totals.values.sorted { $0.currency < $1.currency })
    }

    /// The receivable and the credit together: what the customer owes less what they are owed.
    static func statement(_ query: GetStatement, on db: PostgresConnection) async throws -> Statement {
        let subscription = query.subscriptionNumber
        let accounts = [AccountCode.receivable(subscription), AccountCode.credit(subscription)]
        let owner = try await db.query("SELECT customer_number, currency FROM accounts WHERE code = $1", [accounts[0]])
        guard let account = owner.first else { throw MessageRejected(field: "subscriptionNumber", "the ledger has no accounts of subscription \(subscription)") }
        let opening = try await db.query(
            "SELECT coalesce(sum(amount), 0) FROM postings WHERE account = ANY($1) AND value_date < $2::date AND NOT pending", [accounts, query.from])
        let rows = try await db.query(
            """
            SELECT e.id, e.kind, to_char(e.value_date, 'YYYY-MM-DD'), e.memo,
                   coalesce(sum(p.amount) FILTER (WHERE NOT p.pending), 0), coalesce(sum(-p.amount) FILTER (WHERE p.pending AND p.account = ($1::text[])[1]), 0)
            FROM postings p JOIN entries e ON e.id = p.entry_id
            WHERE p.account = ANY($1) AND p.value_date BETWEEN $2::date AND $3::date
            GROUP BY e.seq, e.id ORDER BY e.value_date, e.seq
            """, [accounts, query.from, query.to])
        var balance = try opening[0].decode(Int.self, 0)
        let start = balance
        var lines: [Statement.Line] = []
        for row in rows {
            let amount = try row.decode(Int.self, 4), held = try row.decode(Int.self, 5)
            guard amount != 0 || held != 0 else { continue }
            balance += amount
            lines.append(Statement.Line(
                entryId: try row.decode(String.self, 0), kind: try row.decode(String.self, 1), valueDate: try row.decode(String.self, 2), memo: try row.decode(String.self, 3),
                debit: max(amount, 0), credit: max(-amount, 0), held: held, balance: balance))
        }
        return Statement(
            subscriptionNumber: subscription, customerNumber: try account.decode(String?.self, 0), currency: try account.decode(String.self, 1), from: query.from,
            to: query.to, opening: start, closing: balance, lines: lines)
    }

    static func openItems(_ owner: Owner, on db: PostgresConnection) async throws -> OpenItems {
        let (filter, key): (String, any PostgresBindable) = switch owner {
        case .subscription(let number): ("i.subscription_number = $1", number)
        case .customer(let number):
            ("i.subscription_number IN (SELECT subscription_number FROM accounts WHERE customer_number = $1 AND kind = 'receivable')", number)
        case .subscriptions(let numbers): ("i.subscription_number = ANY($1)", numbers)
        }
        let rows = try await db.query(
            """
            SELECT coalesce(i.bill_id, i.id), i.subscription_number, i.currency, to_char(i.issue_date, 'YYYY-MM-DD'), to_char(i.due_date, 'YYYY-MM-DD'),
                   i.amount, i.open, i.held
            FROM open_items i WHERE \(filter) AND (i.open > 0 OR i.held > 0) ORDER BY i.due_date, i.issue_date, i.id
            """, [key])
        return OpenItems(items: try rows.map { row in
            OpenItems.Item(
                billId: try row.decode(String.self, 0), subscriptionNumber: try row.decode(String.self, 1), currency: try row.decode(String.self, 2),
                issueDate: try row.decode(String.self, 3), dueDate: try row.decode(String.self, 4), amount: try row.decode(Int.self, 5),
                open: try row.decode(Int.self, 6), held: try row.decode(Int.self, 7))
        })
    }

    /// The ageing buckets in SQL, as `Ageing.add` counts them.
    static let buckets = """
        coalesce(sum(i.open - i.held) FILTER (WHERE $1::date - i.due_date <= 0), 0),
        coalesce(sum(i.open - i.held) FILTER (WHERE $1::date - i.due_date BETWEEN 1 AND 30), 0),
        coalesce(sum(i.open - i.held) FILTER (WHERE $1::date - i.due_date BETWEEN 31 AND 60), 0),
        coalesce(sum(i.open - i.held) FILTER (WHERE $1::date - i.due_date BETWEEN 61 AND 90), 0),
        coalesce(sum(i.open - i.held) FILTER (WHERE $1::date - i.due_date > 90), 0)
        """

    static func ageing(from row: PostgresRow, at column: Int) throws -> Ageing {
        Ageing(
            current: try row.decode(Int.self, column), days0to30: try row.decode(Int.self, column + 1), days31to60: try row.decode(Int.self, column + 2),
            days61to90: try row.decode(Int.self, column + 3), over90: try row.decode(Int.self, column + 4))
    }

    static func ageing(_ customer: String?, asOf: String, on db: PostgresConnection) async throws -> AgeingReport {
        let rows: PostgresRows
        if let customer {
            rows = try await db.query(
                """
                SELECT i.currency, \(buckets) FROM open_items i
                WHERE i.open > i.held AND i.subscription_number IN (SELECT subscription_number FROM accounts WHERE customer_number = $2 AND kind = 'receivable')
                GROUP BY i.currency ORDER BY i.currency
                """, [asOf, customer])
        } else {
            rows = try await db.query("SELECT i.currency, \(buckets) FROM open_items i WHERE i.open > i.held GROUP BY i.currency ORDER BY i.currency", [asOf])
        }
        return AgeingReport(
            asOf: asOf, customerNumber: customer, entries: try rows.map { AgeingReport.Entry(currency: try $0.decode(String.self, 0), ageing: try ageing(from: $0, at: 1)) })
    }

    static func debtors(asOf: String, minimum: Int, limit: Int, offset: Int, on db: PostgresConnection) async throws -> Debtors {
        let rows = try await db.query(
            """
            SELECT a.customer_number, i.currency, count(DISTINCT i.subscription_number), \(buckets)
            FROM open_items i JOIN accounts a ON a.code = 'receivable:' || i.subscription_number
            WHERE i.open > i.held
            GROUP BY a.customer_number, i.currency
            HAVING coalesce(sum(i.open - i.held) FILTER (WHERE i.due_date < $1::date), 0) >= $2
            ORDER BY coalesce(sum(i.open - i.held) FILTER (WHERE i.due_date < $1::date), 0) DESC, a.customer_number
            LIMIT $3 OFFSET $4
            """, [asOf, minimum, limit, offset])
        return Debtors(asOf: asOf, debtors: try rows.map { row in
            let ageing = try ageing(from: row, at: 3)
            return Debtors.Entry(
                customerNumber: try row.decode(String.self, 0), currency: try row.decode(String.self, 1), subscriptions: try row.decode(Int.self, 2),
                overdue: ageing.overdue, ageing: ageing)
        })
    }
}
