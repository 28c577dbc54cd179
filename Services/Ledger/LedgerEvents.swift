import Contracts
import Foundation
import Ledger
import Messaging

/// The events the ledger follows (a subscription opened, a tariff created: their accounts are
/// opened) and the events it tells (payments, balances, disputes).
struct LedgerEvents: Sendable {
    /// The currency of subscriptions that arrive without one (an import's).
    let homeCurrency: String

    static let followed = [SubscriptionCreated.routingKey, CustomersImported.routingKey, TariffCreated.routingKey, TariffVersionPublished.routingKey]

    /// The accounts an event of another service asks for; nil if it is not one the ledger follows.
    func requests(for message: InboundMessage) throws(MessageRejected) -> [LedgerRequest]? {
        switch message.envelope.type {
        case SubscriptionCreated.type:
            let event = try message.decode(SubscriptionCreated.self)
            return [.openSubscription(OpenSubscriptionAccounts(
                subscriptionNumber: event.subscriptionNumber, customerNumber: event.customerNumber, currency: event.deposit.currency))]
        case CustomersImported.type:
            let event = try message.decode(CustomersImported.self)
            return event.entries.flatMap { entry in
                entry.subscriptions.compactMap { subscription in
                    entry.customerNumber.map {
                        .openSubscription(OpenSubscriptionAccounts(subscriptionNumber: subscription.subscriptionNumber, customerNumber: $0, currency: homeCurrency))
                    }
                }
            }
        case TariffCreated.type:
            let event = try message.decode(TariffCreated.self)
            return [.openAccount(OpenAccount(
                code: AccountCode.revenue(event.tariff.utility, event.tariff.code), currency: event.tariff.currency, name: "Revenue, \(event.tariff.name)"))]
                + Self.taxAccounts(event.tariff, event.version)
        case TariffVersionPublished.type:
            let event = try message.decode(TariffVersionPublished.self)
            return Self.taxAccounts(event.tariff, event.version)
        default:
            return nil
        }
    }

    /// The accounts a version's taxes are credited to (Billing posts each tax line to its own).
    static func taxAccounts(_ tariff: Tariff, _ version: TariffVersion) -> [LedgerRequest] {
        version.taxes.map { .openAccount(OpenAccount(code: $0.account(currency: tariff.currency), currency: tariff.currency, name: "\($0.name) payable")) }
    }

    /// The events of one message's facts, and the balances of the subscriptions it changed.
    func messages(for facts: [LedgerFact], touched: [String], book: Book, today: Int, cause: InboundMessage) throws -> [OutgoingMessage] {
        var messages: [OutgoingMessage] = []
        for fact in facts {
            switch fact {
            case .paymentReceived(let payment, let customer, let settled, let credited):
                let event = PaymentReceived(payment: payment, customerNumber: customer, settled: settled, credited: credited)
                messages.append(try .contract(event, causedBy: cause, body: event.json))
            case .disputeOpened(let hold):
                messages.append(try .contract(
                    DisputeOpened(
                        disputeId: hold.id, subscriptionNumber: hold.subscriptionNumber,
                        customerNumber: book.account(AccountCode.receivable(hold.subscriptionNumber))?.customerNumber, billId: hold.billId,
                        amount: Money(amount: hold.amount, currency: hold.currency), reason: hold.reason, valueDate: hold.openedOn),
                    causedBy: cause))
            case .disputeResolved(let hold, let released):
                messages.append(try .contract(
                    DisputeResolved(
                        disputeId: hold.id, subscriptionNumber: hold.subscriptionNumber, billId: hold.billId, decision: hold.status == .accepted ? .accepted : .rejected,
                        currency: hold.currency, accepted: hold.accepted, released: released),
                    causedBy: cause))
            }
        }
        let balances = touched.compactMap { subscription in
            book.balance(of: subscription, asOf: today).map {
                BalanceChanged.Entry(subscriptionNumber: subscription, customerNumber: book.account(AccountCode.receivable(subscription))?.customerNumber, balance: $0)
            }
        }
        if !balances.isEmpty {
            let event = BalanceChanged(asOf: LedgerDate.text(today), balances: balances)
            messages.append(try .contract(event, causedBy: cause, body: event.json))
        }
        return messages
    }
}
