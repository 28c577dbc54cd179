import Postgres

/// The benchmark's stored history, written straight into the ledger's tables as the service
/// would have recorded it: per subscription ten monthly bills (receivable, revenue, VAT) and
/// ten payments (bank, receivable), the tenth paying half, so one bill a subscription is open.
/// Balances are then summed from the postings, so the check proves the history too.
enum LedgerHistory {
    static func subscription(_ index: Int) -> String { "S-\(String(100_000_000 + index).dropFirst())-0" }
    static func customer(_ index: Int) -> String { "C-\(String(100_000_000 + (index + 1) / 2).dropFirst())-0" }

    static func fill(subscriptions: Int, on db: PostgresConnection) async throws {
        let history = """
            SELECT i, m, 'S-' || lpad(i::text, 8, '0') || '-0' AS sub, 'H' || i || '-' || m AS bill,
                   date '2025-01-01' + (m - 1) * 30 AS issued, e, e + e / 10 AS total,
                   CASE WHEN m = 10 THEN (e + e / 10) / 2 ELSE e + e / 10 END AS paid
            FROM generate_series(1, \(subscriptions)) i CROSS JOIN generate_series(1, 10) m
            CROSS JOIN LATERAL (SELECT 100000 + (i * 7919 + m * 104729) % 90000 AS e) amounts
            """
        try await db.run(script: """
            BEGIN;
            INSERT INTO accounts (code, kind, currency, name) VALUES ('revenue:electricity:E-RES-1', 'revenue', 'IRR', 'Revenue, electricity residential')
                ON CONFLICT DO NOTHING;
            INSERT INTO accounts (code, kind, currency, name, subscription_number, customer_number)
                SELECT k || ':S-' || lpad(i::text, 8, '0') || '-0', k, 'IRR', k || ' of S-' || lpad(i::text, 8, '0') || '-0',
                       'S-' || lpad(i::text, 8, '0') || '-0', 'C-' || lpad(((i + 1) / 2)::text, 8, '0') || '-0'
                FROM generate_series(1, \(subscriptions)) i CROSS JOIN unnest(ARRAY['receivable', 'credit', 'deposit']) k;
            CREATE TEMPORARY TABLE history AS \(history);
            INSERT INTO entries (id, kind, subscription_number, currency, value_date, memo, items, actor)
                SELECT 'bill:' || bill, 'charge', sub, 'IRR', issued, 'Bill ' || bill,
                       jsonb_build_array(jsonb_build_object('item', 'bill:' || bill, 'open', total, 'held', 0, 'adjusted', 0)), 'system:bench'
                FROM history ORDER BY i, m;
            INSERT INTO entries (id, kind, subscription_number, currency, value_date, memo, items, actor)
                SELECT 'payment:' || bill, 'payment', sub, 'IRR', issued + 10, 'bank payment ' || bill,
                       jsonb_build_array(jsonb_build_object('item', 'bill:' || bill, 'open', -paid, 'held', 0, 'adjusted', 0)), 'system:bench'
                FROM history ORDER BY i, m;
            INSERT INTO postings (entry_id, position, account, amount, pending, value_date)
                SELECT 'bill:' || bill, p,
                       CASE p WHEN 0 THEN 'receivable:' || sub WHEN 1 THEN 'revenue:electricity:E-RES-1' ELSE 'tax:vat:IRR' END,
                       CASE p WHEN 0 THEN total WHEN 1 THEN -e ELSE -(e / 10) END, false, issued
                FROM history CROSS JOIN generate_series(0, 2) p;
            INSERT INTO postings (entry_id, position, account, amount, pending, value_date)
                SELECT 'payment:' || bill, p, CASE p WHEN 0 THEN 'cash:bank:IRR' ELSE 'receivable:' || sub END, CASE p WHEN 0 THEN paid ELSE -paid END, false, issued + 10
                FROM history CROSS JOIN generate_series(0, 1) p;
            INSERT INTO open_items (id, bill_id, subscription_number, currency, issue_date, due_date, amount, open, lines)
                SELECT 'bill:' || bill, bill, sub, 'IRR', issued, issued + 15, total, total - paid,
                       jsonb_build_array(jsonb_build_object('account', 'revenue:electricity:E-RES-1', 'amount', e), jsonb_build_object('account', 'tax:vat:IRR', 'amount', e / 10))
                FROM history;
            INSERT INTO requests (key, content, entries, actor)
                SELECT k || bill, '{"seeded":true}', ARRAY[k || bill], 'system:bench' FROM history CROSS JOIN unnest(ARRAY['bill:', 'payment:']) k;
            UPDATE accounts a SET debits = s.debits, credits = s.credits
                FROM (SELECT account, coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS debits, coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS credits
                      FROM postings GROUP BY account) s
                WHERE a.code = s.account;
            COMMIT;
            """)
        try await db.run(script: "VACUUM ANALYZE")
    }
}
