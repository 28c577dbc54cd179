import Contracts
import Foundation
import Ledger
import Messaging
import Postgres
import ServiceKit
import ServiceLifecycle

/// Ledger: the customers' debit and credit, double-entry. The rules are `Shared/Ledger`'s; this
/// shell loads what a batch touches under lock, records it, stores it and tells the events.
struct Ledgers: UtilisService {
    let name = "ledger"
    /// The currencies whose standard accounts (cash per channel, disputes suspense, write-offs,
    /// VAT) are opened at start; the first is the currency of imported subscriptions.
    let currencies: [String]

    var topology: ServiceTopology {
        ServiceTopology(
            service: name, commands: LedgerCommands.commands.keys.map { String($0.dropFirst("ledger.".count)) }.sorted(),
            queries: LedgerQueries.names, eventPatterns: LedgerEvents.followed)
    }

    /// A consumer takes few deliveries ahead: a billing run's messages carry a thousand charges
    /// each, and one consumer holding them all would leave the other idle.
    var commandConsumerOptions: MessageConsumer.Options { MessageConsumer.Options(batchSize: 32, prefetch: 32) }

    var handler: LedgerCommands { LedgerCommands(events: LedgerEvents(homeCurrency: currencies.first ?? "IRR")) }

    func migrations() throws -> [MigrationSet] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw PostgresError(.configuration, "ledger's migrations are missing from the bundle")
        }
        return [try .load(component: name, from: folder)]
    }

    func commandHandler(_ environment: ServiceEnvironment) -> (any MessageHandler)? { handler }
    func eventHandler(_ environment: ServiceEnvironment) -> (any MessageHandler)? { handler }
    func queryHandlers(_ environment: ServiceEnvironment) -> [String: QueryResponder.Handler] { LedgerQueries.handlers(environment) }
    func services(_ environment: ServiceEnvironment) throws -> [any Service] { [StandardAccounts(currencies: currencies, environment: environment)] }
}

/// Opens the utility's standard accounts in each currency at start, through the same rules as
/// an `open-account` command: already open, they are left as they are.
struct StandardAccounts: Service {
    let currencies: [String]
    let environment: ServiceEnvironment

    static func requests(_ currency: String) -> [LedgerRequest] {
        let accounts: [(String, String)] =
            PaymentChannel.allCases.map { (AccountCode.cash($0, currency), "Cash received by \($0.rawValue)") } + [
                (AccountCode.suspense(currency), "Disputes suspense"), (AccountCode.writeOff(currency), "Bad debt written off"),
                ("tax:vat:\(currency)", "VAT payable"),
            ]
        return accounts.map { .openAccount(OpenAccount(code: $0.0, currency: currency, name: $0.1)) }
    }

    func run() async throws {
        let requests = currencies.flatMap(Self.requests)
        try await environment.database.transaction { db in
            var book = try await LedgerStore.load(requests, on: db)
            for request in requests {
                if case .refused(let problems) = book.record(request) {
                    environment.logger.warning("standard account not opened", metadata: ["account": "\(request.key)", "problems": "\(problems)"])
                }
            }
            try await LedgerStore.save(book, actors: Dictionary(uniqueKeysWithValues: requests.map { ($0.key, "system:ledger") }), on: db)
        }
        try await gracefulShutdown()
    }
}
