import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit

/// Billing: readings in, validated and completed; runs cut into chunks that every replica
/// takes a share of; bills priced with the pricing library, carried from the ledger, stored,
/// and their charges posted to the ledger. The rules are `Shared/Billing`'s.
struct Billings: UtilisService {
    let name = "billing"

    var topology: ServiceTopology {
        ServiceTopology(
            service: name, commands: BillingCommands.names, queries: BillingQueries.names, eventPatterns: BillingEvents.followed)
    }

    /// A chunk of a run is a thousand bills' work: a consumer takes one at a time and one ahead,
    /// so a second replica finds the rest on the queue.
    var commandConsumerOptions: MessageConsumer.Options { MessageConsumer.Options(batchSize: 1, prefetch: 2) }

    func migrations() throws -> [MigrationSet] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw PostgresError(.configuration, "billing's migrations are missing from the bundle")
        }
        return [try .load(component: name, from: folder)]
    }

    func commandHandler(_ environment: ServiceEnvironment) -> (any MessageHandler)? { BillingCommands(environment: environment) }
    func eventHandler(_ environment: ServiceEnvironment) -> (any MessageHandler)? {
        BillingEvents(making: BillMaking(tariffs: TariffBook(requests: environment.requests), requests: environment.requests))
    }
    func queryHandlers(_ environment: ServiceEnvironment) -> [String: QueryResponder.Handler] { BillingQueries.handlers(environment) }
}
