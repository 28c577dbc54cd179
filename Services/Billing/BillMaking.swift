import Billing
import Contracts
import Foundation
import Messaging
import Postgres
import Pricing
import ServiceKit

/// Bills for many subscriptions at once, as a run's chunk, a final bill or a rebill makes them:
/// inputs loaded together, each subscription drafted and priced on its own (one that cannot be
/// billed is an exception with the reason, the others go on), the balances asked of the ledger
/// in one query, numbers taken from the series in one step, and everything stored together.
struct BillMaking {
    struct Order {
        var numbers: [String]
        var kind: BillKind
        var to: Int
        var issueDay: Int
        var dueDays: Int
        var runId: String?
        /// Only the subscriptions in these statuses are billed.
        var statuses: Set<String> = ["active"]
        /// A rebill: the bill it replaces, whose carried balance it keeps.
        var replacing: Bill?
    }

    struct Made {
        var bills: [Bill] = []
        var skipped = 0
        var exceptions: [RunStatus.Exception] = []
    }

    let tariffs: TariffBook
    let requests: RequestClient

    func make(_ order: Order, context: MessageContext, cause: InboundMessage) async throws -> Made {
        let db = context.database
        var made = Made()
        let inputs = try await BillInputs.load(order.numbers, to: order.to, on: db)
        var drafts: [(BillDraft, BillInputs.Subscription)] = []
        for number in order.numbers {
            guard let subscription = inputs.subscriptions[number] else {
                made.exceptions.append(.init(subscriptionNumber: number, reason: "Billing has no subscription \(number): Registration has not announced it"))
                continue
            }
            guard order.statuses.contains(subscription.status) else {
                made.skipped += 1
                continue
            }
            if let billedTo = subscription.billedTo, billedTo >= order.to {
                made.skipped += 1
                continue
            }
            switch inputs.registers(of: subscription, to: order.to) {
            case .failure(let refused): made.exceptions.append(.init(subscriptionNumber: number, reason: refused.description))
            case .success(let registers):
                guard let draft = BillDraft(
                    terms: subscription.terms, kind: order.kind, lastBilledTo: subscription.billedTo, to: order.to, registers: registers,
                    dailyUsage: subscription.dailyUsage)
                else {
                    made.skipped += 1
                    continue
                }
                drafts.append((draft, subscription))
            }
        }
        guard !drafts.isEmpty else { return made }

        let (pricers, missing) = try await tariffs.pricers(Set(drafts.map(\.0.terms.tariffCode)), on: db)
        let balances = order.replacing == nil ? try await ledgerBalances(drafts.map(\.0.terms.subscriptionNumber), on: order.issueDay) : [:]
        var priced: [(BillDraft, BillInputs.Subscription, PriceQuote)] = []
        for (draft, subscription) in drafts {
            guard let pricer = pricers[draft.terms.tariffCode] else {
                made.exceptions.append(.init(subscriptionNumber: draft.terms.subscriptionNumber, reason: missing[draft.terms.tariffCode] ?? "no tariff"))
                continue
            }
            do {
                priced.append((draft, subscription, try pricer.price(draft.priceRequest(intervals: inputs.intervals(for: draft)))))
            } catch {
                made.exceptions.append(.init(subscriptionNumber: draft.terms.subscriptionNumber, reason: "pricing refused: \(error)"))
            }
        }
        guard !priced.isEmpty else { return made }
        // Everything but the numbers first: the series' row is locked from the moment a number
        // is taken to the commit, and every replica's chunks wait for it. The bills are made
        // with a provisional id, numbered once the numbers are taken.
        var provisional: [Bill] = []
        for (draft, subscription, quote) in priced {
            let number = draft.terms.subscriptionNumber
            let carried = order.replacing?.carried
                ?? BillMaker.carried(previousDue: subscription.lastDue, paymentsSince: inputs.paymentsSince[number] ?? 0, ledgerBalance: balances[number] ?? 0)
            let bill = BillMaker.bill(
                draft, quote: quote, billId: "pending", runId: order.runId, issueDay: order.issueDay, dueDays: order.dueDays, carried: carried,
                replaces: order.replacing?.billId)
            do {
                _ = try BillMaker.charge(of: bill)
            } catch {
                made.exceptions.append(.init(subscriptionNumber: number, reason: error.description))
                continue
            }
            provisional.append(bill)
        }
        guard !provisional.isEmpty else { return made }
        let byNumber = Dictionary(uniqueKeysWithValues: priced.map { ($0.0.terms.subscriptionNumber, ($0.0, $0.1)) })
        let series = BillMaker.series(issueDay: order.issueDay)
        let last = try await db.query(
            """
            INSERT INTO bill_series (series, last) VALUES ($1, $2)
            ON CONFLICT (series) DO UPDATE SET last = bill_series.last + excluded.last RETURNING last
            """, [series, provisional.count]).scalar(Int.self)
        var charges: [BillCharge] = []
        for (offset, var bill) in provisional.enumerated() {
            bill.billId = BillMaker.number(series: series, sequence: last - provisional.count + 1 + offset)
            if let charge = try BillMaker.charge(of: bill) { charges.append(charge) }
            made.bills.append(bill)
        }
        // Written by hand, the documents cost little even with the series locked.
        try await BillStore.save(made.bills, documents: BillStore.documents(made.bills), drafts: byNumber, on: db)
        if !charges.isEmpty {
            let post = PostBillCharges(charges: charges)
            context.send(try .contract(post, causedBy: cause, actor: "system:billing", body: post.json))
        }
        let issued = BillIssued(runId: order.runId, bills: made.bills.map(BillIssued.Entry.init))
        context.send(try .contract(issued, causedBy: cause, actor: "system:billing", body: issued.json))
        return made
    }

    /// What each subscription owes (net of its credit), as the ledger has it now.
    func ledgerBalances(_ numbers: [String], on day: Int) async throws -> [String: Int] {
        var balances: [String: Int] = [:]
        for start in stride(from: 0, to: numbers.count, by: GetBalances.maximumSubscriptions) {
            let slice = Array(numbers[start..<min(start + GetBalances.maximumSubscriptions, numbers.count)])
            let answer = try await requests.ask(GetBalances(subscriptionNumbers: slice, asOf: BillingDay.text(day: day)), timeout: .seconds(30))
            for entry in answer.subscriptions { balances[entry.subscriptionNumber] = entry.balance.due - entry.balance.credit }
        }
        return balances
    }
}
