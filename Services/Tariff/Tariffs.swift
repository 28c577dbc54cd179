import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit

/// Tariff: the tariffs, their effective-dated versions and the audit of every fee change; it
/// prices consumption for Billing and the cartable with the pricing library.
struct Tariffs: UtilisService {
    let name = "tariff"
    let pricers = PricerCache()

    var topology: ServiceTopology {
        ServiceTopology(
            service: name, commands: TariffCommands.handlers.keys.map { String($0.dropFirst("tariff.".count)) }.sorted(),
            queries: TariffQueries.names)
    }

    func migrations() throws -> [MigrationSet] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw PostgresError(.configuration, "tariff's migrations are missing from the bundle")
        }
        return [try .load(component: name, from: folder)]
    }

    func commandHandler(_ environment: ServiceEnvironment) -> (any MessageHandler)? { EachMessage(TariffCommands.handle) }

    func queryHandlers(_ environment: ServiceEnvironment) -> [String: QueryResponder.Handler] { TariffQueries.handlers(environment, pricers) }
}
