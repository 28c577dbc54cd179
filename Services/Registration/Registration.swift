import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit

/// Registration: the record of every customer and installation: premises and service points,
/// meters, subscriptions, and the history of each. Other systems send its commands over the
/// broker; a process sends the same commands as jobs of its service tasks (job type
/// `registration.install-meter`).
struct Registration: UtilisService {
    let name = "registration"

    var topology: ServiceTopology {
        ServiceTopology(service: name, commands: RegistrationCommands.names, queries: [FindCustomers.name, GetCustomer.name, GetMeter.name])
    }

    func migrations() throws -> [MigrationSet] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw PostgresError(.configuration, "registration's migrations are missing from the bundle")
        }
        return [try .load(component: name, from: folder)]
    }

    func commandHandler(_ environment: ServiceEnvironment) -> (any MessageHandler)? { EachMessage(RegistrationCommands.handle) }

    func queryHandlers(_ environment: ServiceEnvironment) -> [String: QueryResponder.Handler] { RegistrationQueries.handlers(environment) }
}
