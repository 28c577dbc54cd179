import Contracts
import Postgres

/// The proof that the stored ledger is sound, over one snapshot (the caller's repeatable-read
/// transaction): postings sum to zero per currency and per entry, each account's stored
/// balances are the sums of its postings, each receivable is what its items have open and held.
enum LedgerCheckQuery {
    static func run(on db: PostgresConnection) async throws -> LedgerCheck {
        let counts = try await db.query("SELECT (SELECT count(*) FROM entries), (SELECT count(*) FROM postings), (SELECT count(*) FROM accounts)")
        let sums = try await db.query(
            """
            SELECT a.currency, coalesce(sum(p.amount) FILTER (WHERE NOT p.pending), 0), coalesce(sum(p.amount) FILTER (WHERE p.pending), 0)
            FROM postings p JOIN accounts a ON a.code = p.account GROUP BY a.currency ORDER BY a.currency
            """)
        let unbalanced = try await db.query(
            """
            SELECT entry_id FROM postings GROUP BY entry_id
            HAVING coalesce(sum(amount) FILTER (WHERE NOT pending), 0) <> 0 OR coalesce(sum(amount) FILTER (WHERE pending), 0) <> 0 OR count(*) < 2
            ORDER BY entry_id LIMIT 100
            """)
        let accountsOff = try await db.query(
            """
            WITH sums AS (
                SELECT account,
                       coalesce(sum(amount) FILTER (WHERE amount > 0 AND NOT pending), 0) AS debits,
                       coalesce(-sum(amount) FILTER (WHERE amount < 0 AND NOT pending), 0) AS credits,
                       coalesce(sum(amount) FILTER (WHERE pending), 0) AS pending
                FROM postings GROUP BY account)
            SELECT a.code FROM accounts a LEFT JOIN sums s ON s.account = a.code
            WHERE a.debits <> coalesce(s.debits, 0) OR a.credits <> coalesce(s.credits, 0) OR a.pending <> coalesce(s.pending, 0)
            ORDER BY a.code LIMIT 100
            """)
        let receivablesOff = try await db.query(
            """
            SELECT a.code FROM accounts a
            LEFT JOIN (SELECT subscription_number, sum(open) AS open, sum(held) AS held FROM open_items GROUP BY subscription_number) i
                   ON i.subscription_number = a.subscription_number
            WHERE a.kind = 'receivable' AND (a.debits - a.credits <> coalesce(i.open, 0) OR -a.pending <> coalesce(i.held, 0))
            ORDER BY a.code LIMIT 100
            """)
        let currencySums = try sums.map {
            LedgerCheck.CurrencySum(currency: try $0.decode(String.self, 0), posted: try $0.decode(Int.self, 1), pending: try $0.decode(Int.self, 2))
        }
        let unbalancedEntries = try unbalanced.map { try $0.decode(String.self, 0) }
        let off = try accountsOff.map { try $0.decode(String.self, 0) }
        let receivables = try receivablesOff.map { try $0.decode(String.self, 0) }
        return LedgerCheck(
            sound: currencySums.allSatisfy { $0.posted == 0 && $0.pending == 0 } && unbalancedEntries.isEmpty && off.isEmpty && receivables.isEmpty,
            entries: try counts[0].decode(Int.self, 0), postings: try counts[0].decode(Int.self, 1), accounts: try counts[0].decode(Int.self, 2),
            sums: currencySums, unbalancedEntries: unbalancedEntries, accountsOff: off, receivablesOffItems: receivables)
    }
}
