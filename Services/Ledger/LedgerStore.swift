import Contracts
import Foundation
import Ledger
import Messaging
import Postgres

/// The ledger's tables, read and written in the handler's transaction.
///
/// `load` locks the subscriptions' accounts a batch touches, in code order, so two replicas
/// posting to one subscription go one after the other and never deadlock; what it reads after
/// the lock is current. The utility's own accounts (revenue, tax, cash) are in nearly every
/// entry: locked from the start, they would make every batch wait for the one before. No rule
/// reads their balances, so they are read without a lock and `save` adds each batch's sums to
/// them last, in code order, holding their rows only until the commit.
enum LedgerStore {
    /// The part of the ledger `requests` touch.
    static func load(_ requests: [LedgerRequest], on db: PostgresConnection) async throws -> Book {
        var subscriptions = Set(requests.compactMap(\.subscriptionNumber))
        var codes = Set<String>()
        var itemIds = Set<String>()
        let disputeIds = requests.compactMap { if case .resolveDispute(let command) = $0 { command.disputeId } else { nil } }
        let entryIds = requests.compactMap { if case .reversal(let command) = $0 { command.entryId } else { nil } }
        // What resolutions and reversals refer to tells whose accounts to lock.
        let holds = disputeIds.isEmpty ? [] : try await loadHolds(disputeIds, on: db)
        let entries = entryIds.isEmpty ? [] : try await loadEntries(entryIds, on: db)
        for hold in holds {
            subscriptions.insert(hold.subscriptionNumber)
            codes.insert(AccountCode.suspense(hold.currency))
            itemIds.formUnion(hold.parts.map(\.item))
            if let billId = hold.billId { itemIds.insert("bill:\(billId)") }
        }
        // An accepted dispute on a bill credits the bill's accounts: its lines never change, so they are read before the lock.
        let disputedBills = holds.compactMap { $0.billId.map { "bill:\($0)" } }
        if !disputedBills.isEmpty {
            for row in try await db.query("SELECT lines FROM open_items WHERE id = ANY($1)", [disputedBills]) {
                codes.formUnion(try decode([LedgerLine].self, try row.decode(String.self, 0)).map(\.account))
            }
        }
        for entry in entries {
            if let subscription = entry.subscriptionNumber { subscriptions.insert(subscription) }
            codes.formUnion(entry.postings.map(\.account))
            itemIds.formUnion(entry.items.map(\.item))
            itemIds.insert(entry.id)
        }
        for request in requests { codes.formUnion(accounts(of: request)) }
        for subscription in subscriptions {
            codes.formUnion([AccountCode.receivable(subscription), AccountCode.credit(subscription), AccountCode.deposit(subscription)])
        }
        for request in requests { if let billId = billId(of: request) { itemIds.insert("bill:\(billId)") } }

        let subscriptionsAccounts = codes.filter(isSubscriptions), utilityAccounts = codes.filter { !isSubscriptions($0) }
        let columns = "code, kind, currency, name, subscription_number, customer_number, debits, credits, pending"
        var accountRows = Array(try await db.query("SELECT \(columns) FROM accounts WHERE code = ANY($1) ORDER BY code FOR UPDATE", [Array(subscriptionsAccounts)]))
        if !utilityAccounts.isEmpty { accountRows += try await db.query("SELECT \(columns) FROM accounts WHERE code = ANY($1)", [Array(utilityAccounts)]) }
        let accounts = try accountRows.map { row in
            LedgerAccount(
                code: try row.decode(String.self, 0), kind: try stored(row.decode(String.self, 1)),
                currency: try row.decode(String.self, 2), name: try row.decode(String.self, 3), subscriptionNumber: try row.decode(String?.self, 4),
                customerNumber: try row.decode(String?.self, 5), debits: try row.decode(Int.self, 6), credits: try row.decode(Int.self, 7),
                pending: try row.decode(Int.self, 8))
        }
        let keys = requests.map(\.key)
        let recorded = try await db.query("SELECT key, content FROM requests WHERE key = ANY($1)", [keys])
        // An item's lines are read only where an accepted dispute may credit them back.
        let items = try await db.query(
            """
            SELECT id, bill_id, subscription_number, to_char(issue_date, 'YYYY-MM-DD'), to_char(due_date, 'YYYY-MM-DD'), amount, open, held, adjusted,
                   CASE WHEN id = ANY($3) THEN lines END, cancelled
            FROM open_items WHERE subscription_number = ANY($1) AND (open > 0 OR held > 0)
            UNION
            SELECT id, bill_id, subscription_number, to_char(issue_date, 'YYYY-MM-DD'), to_char(due_date, 'YYYY-MM-DD'), amount, open, held, adjusted,
                   CASE WHEN id = ANY($3) THEN lines END, cancelled
            FROM open_items WHERE id = ANY($2)
            """, [Array(subscriptions), Array(itemIds), disputedBills])
        var reversedBy: [String: String] = [:]
        if !entryIds.isEmpty {
            for row in try await db.query("SELECT reverses, id FROM entries WHERE reverses = ANY($1)", [entryIds]) {
                reversedBy[try row.decode(String.self, 0)] = try row.decode(String.self, 1)
            }
        }
        // Holds are read again now that their accounts are locked: a replica may have resolved one meanwhile.
        let currentHolds = disputeIds.isEmpty ? [] : try await loadHolds(disputeIds, on: db)
        return Book(
            accounts: accounts,
            items: try items.map { row in
                OpenItem(
                    id: try row.decode(String.self, 0), billId: try row.decode(String?.self, 1), subscriptionNumber: try row.decode(String.self, 2),
                    issueDate: try row.decode(String.self, 3), dueDate: try row.decode(String.self, 4), amount: try row.decode(Int.self, 5),
                    open: try row.decode(Int.self, 6), held: try row.decode(Int.self, 7), adjusted: try row.decode(Int.self, 8),
                    lines: try row.decode(String?.self, 9).map { try decode([LedgerLine].self, $0) } ?? [], cancelled: try row.decode(Bool.self, 10))
            },
            holds: currentHolds,
            requests: Dictionary(try recorded.map { (try $0.decode(String.self, 0), try $0.decode(String.self, 1)) }, uniquingKeysWith: { a, _ in a }),
            entries: entries,
            reversedBy: reversedBy)
    }

    /// A kind or status as stored: one the ledger does not know is an error, never a guess.
    static func stored<T: RawRepresentable>(_ text: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: text) else { throw PostgresError(.decoding, "\(text) is not a \(T.self) the ledger knows") }
        return value
    }

    static func isSubscriptions(_ code: String) -> Bool { code.hasPrefix("receivable:") || code.hasPrefix("credit:") || code.hasPrefix("deposit:") }

    /// The utility's accounts a request names; a subscription's are added by its number.
    static func accounts(of request: LedgerRequest) -> [String] {
        switch request {
        case .openAccount(let command): [command.code]
        case .openSubscription: []
        case .charge(let charge): charge.lines.map(\.account)
        case .payment(let payment): [AccountCode.cash(payment.channel, payment.amount.currency)]
        case .deposit(let command): [AccountCode.cash(command.channel, command.amount.currency)]
        case .depositReturn(let command): command.channel.map { [AccountCode.cash($0, command.amount.currency)] } ?? []
        case .refund(let command): [AccountCode.cash(command.channel, command.amount.currency)]
        case .adjustment(let command): command.lines.map(\.account)
        case .openDispute(let command): [AccountCode.suspense(command.amount.currency)]
        case .resolveDispute(let command): (command.lines ?? []).map(\.account)
        case .writeOff(let command): [AccountCode.writeOff(command.amount.currency)]
        case .reversal: []
        }
    }

    static func billId(of request: LedgerRequest) -> String? {
        switch request {
        case .payment(let payment): payment.billId
        case .adjustment(let command): command.billId
        case .openDispute(let command): command.billId
        case .writeOff(let command): command.billId
        default: nil
        }
    }

    static func loadHolds(_ ids: [String], on db: PostgresConnection) async throws -> [DisputeHold] {
        let rows = try await db.query(
            """
            SELECT id, subscription_number, bill_id, currency, amount, parts::text, status, accepted, reason, to_char(opened_on, 'YYYY-MM-DD')
            FROM dispute_holds WHERE id = ANY($1)
            """, [ids])
        return try rows.map { row in
            DisputeHold(
                id: try row.decode(String.self, 0), subscriptionNumber: try row.decode(String.self, 1), billId: try row.decode(String?.self, 2),
                currency: try row.decode(String.self, 3), amount: try row.decode(Int.self, 4), parts: try decode([ItemEffect].self, try row.decode(String.self, 5)),
                status: try stored(row.decode(String.self, 6)), accepted: try row.decode(Int.self, 7),
                reason: try row.decode(String.self, 8), openedOn: try row.decode(String.self, 9))
        }
    }

    static func loadEntries(_ ids: [String], on db: PostgresConnection) async throws -> [JournalEntry] {
        let rows = try await db.query(
            """
            SELECT e.id, e.kind, e.subscription_number, e.currency, to_char(e.value_date, 'YYYY-MM-DD'), e.items, e.reverses, e.memo,
                   array_agg(p.account ORDER BY p.position), array_agg(p.amount ORDER BY p.position), array_agg(p.pending ORDER BY p.position)
            FROM entries e JOIN postings p ON p.entry_id = e.id WHERE e.id = ANY($1) GROUP BY e.id
            """, [ids])
        return try rows.map { row in
            let accounts = try row.decode([String].self, 8)
            let amounts = try row.decode([Int].self, 9)
            let pending = try row.decode([Bool].self, 10)
            return JournalEntry(
                id: try row.decode(String.self, 0), kind: try stored(row.decode(String.self, 1)),
                subscriptionNumber: try row.decode(String?.self, 2), currency: try row.decode(String.self, 3), valueDate: try row.decode(String.self, 4),
                postings: accounts.indices.map { Posting(accounts[$0], amounts[$0], pending: pending[$0]) },
                items: try decode([ItemEffect].self, try row.decode(String.self, 5)), reverses: try row.decode(String?.self, 6), memo: try row.decode(String.self, 7))
        }
    }

    /// Stores what `book` recorded: new accounts, the journal, balances, items, holds. `actors`
    /// names who asked for each request, by its key. The updates name their rows twice (`= ANY`
    /// beside the join): the planner, guessing a hundred rows of `unnest`, otherwise scanned
    /// every open item to update a thousand.
    static func save(_ book: Book, actors: [String: String], on db: PostgresConnection) async throws {
        let changes = book.changes
        if !changes.opened.isEmpty {
            let opened = changes.opened
            try await db.query(
                """
                INSERT INTO accounts (code, kind, currency, name, subscription_number, customer_number)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                """,
                [opened.map(\.code), opened.map(\.kind.rawValue), opened.map(\.currency), opened.map(\.name), opened.map(\.subscriptionNumber), opened.map(\.customerNumber)])
        }
        guard !changes.requests.isEmpty else { return }
        var entryActors: [String: String] = [:]
        for request in changes.requests { for entry in request.entries { entryActors[entry] = actors[request.key] ?? "unknown" } }
        try await db.query(
            "INSERT INTO requests (key, content, entries, actor) SELECT k, c, string_to_array(e, ' '), a FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS r(k, c, e, a)",
            [changes.requests.map(\.key), changes.requests.map(\.content), changes.requests.map { $0.entries.joined(separator: " ") }, changes.requests.map { actors[$0.key] ?? "unknown" }])
        let journal = changes.journal
        if !journal.isEmpty {
            try await db.query(
                """
                INSERT INTO entries (id, kind, subscription_number, currency, value_date, reverses, memo, items, actor)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[], $7::text[], $8::text[], $9::text[])
                """,
                [
                    journal.map(\.id), journal.map(\.kind.rawValue), journal.map(\.subscriptionNumber), journal.map(\.currency), journal.map(\.valueDate),
                    journal.map(\.reverses), journal.map(\.memo), journal.map { Self.json($0.items) },
                    journal.map { entryActors[$0.id] ?? "unknown" },
                ])
            var ids: [String] = [], positions: [Int] = [], accounts: [String] = [], amounts: [Int] = [], pending: [Bool] = [], dates: [String] = []
            for entry in journal {
                for (position, posting) in entry.postings.enumerated() {
                    ids.append(entry.id)
                    positions.append(position)
                    accounts.append(posting.account)
                    amounts.append(posting.amount)
                    pending.append(posting.pending)
                    dates.append(entry.valueDate)
                }
            }
            try await db.query(
                "INSERT INTO postings (entry_id, position, account, amount, pending, value_date) SELECT * FROM unnest($1::text[], $2::smallint[], $3::text[], $4::bigint[], $5::bool[], $6::date[])",
                [ids, positions, accounts, amounts, pending, dates])
        }
        // Each account's sums of this batch's postings, added to what is stored: the utility's
        // accounts were read without a lock, so what the book holds of them may be stale.
        var sums: [String: (debits: Int, credits: Int, pending: Int)] = [:]
        for entry in journal {
            for posting in entry.postings {
                var sum = sums[posting.account] ?? (0, 0, 0)
                if posting.pending { sum.pending += posting.amount } else if posting.amount > 0 { sum.debits += posting.amount } else { sum.credits -= posting.amount }
                sums[posting.account] = sum
            }
        }
        let ordered = sums.sorted { $0.key < $1.key }
        let hot = ordered.map(\.key).filter { !isSubscriptions($0) }
        if !hot.isEmpty { try await db.query("SELECT 1 FROM accounts WHERE code = ANY($1) ORDER BY code FOR UPDATE", [hot]) }
        if !ordered.isEmpty {
            try await db.query(
                """
                UPDATE accounts a SET debits = a.debits + v.debits, credits = a.credits + v.credits, pending = a.pending + v.pending
                FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) AS v(code, debits, credits, pending)
                WHERE a.code = v.code AND a.code = ANY($1)
                """, [ordered.map(\.key), ordered.map(\.value.debits), ordered.map(\.value.credits), ordered.map(\.value.pending)])
        }
        // New items are written whole; the others only change what is open, held, adjusted and cancelled.
        let items = changes.items.compactMap { book.items[$0] }
        let new = items.filter { changes.newItems.contains($0.id) }, changed = items.filter { !changes.newItems.contains($0.id) }
        if !new.isEmpty {
            let lines = new.map { Self.json($0.lines) }
            let currencies = new.map { book.accounts[AccountCode.receivable($0.subscriptionNumber)]?.currency ?? "XXX" }
            try await db.query(
                """
                INSERT INTO open_items (id, bill_id, subscription_number, currency, issue_date, due_date, amount, open, held, adjusted, lines, cancelled)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::date[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[],
                                     $11::text[], $12::bool[])
                """,
                [
                    new.map(\.id), new.map(\.billId), new.map(\.subscriptionNumber), currencies, new.map(\.issueDate), new.map(\.dueDate),
                    new.map(\.amount), new.map(\.open), new.map(\.held), new.map(\.adjusted), lines, new.map(\.cancelled),
                ])
        }
        if !changed.isEmpty {
            try await db.query(
                """
                UPDATE open_items i SET open = v.open, held = v.held, adjusted = v.adjusted, cancelled = v.cancelled
                FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bool[]) AS v(id, open, held, adjusted, cancelled)
                WHERE i.id = v.id AND i.id = ANY($1)
                """, [changed.map(\.id), changed.map(\.open), changed.map(\.held), changed.map(\.adjusted), changed.map(\.cancelled)])
        }
        let holds = changes.holds.compactMap { book.holds[$0] }
        if !holds.isEmpty {
            let parts = try holds.map { String(decoding: try JSONBody.encode($0.parts), as: UTF8.self) }
            try await db.query(
                """
                INSERT INTO dispute_holds (id, subscription_number, bill_id, currency, amount, parts, status, accepted, reason, opened_on)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::jsonb[], $7::text[], $8::bigint[], $9::text[], $10::date[])
                ON CONFLICT (id) DO UPDATE SET status = excluded.status, accepted = excluded.accepted
                """,
                [
                    holds.map(\.id), holds.map(\.subscriptionNumber), holds.map(\.billId), holds.map(\.currency), holds.map(\.amount), parts,
                    holds.map(\.status.rawValue), holds.map(\.accepted), holds.map(\.reason), holds.map(\.openedOn),
                ])
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try JSONBody.decode(T.self, from: text) }

    /// An entry's item effects as JSON, the keys sorted as JSONEncoder sorts them.
    static func json(_ effects: [ItemEffect]) -> String {
        var bytes: [UInt8] = []
        JSONObjectWriter.array(effects, to: &bytes) { effect, bytes in
            JSONObjectWriter.object(to: &bytes) { object in
                object.field("adjusted", effect.adjusted)
                object.field("held", effect.held)
                object.field("item", effect.item)
                object.field("open", effect.open)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A bill's lines as JSON.
    static func json(_ lines: [LedgerLine]) -> String {
        var bytes: [UInt8] = []
        LedgerLine.writeJSON(lines, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
