import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit

/// Registration: the record of every customer (and, as it grows, their premises, meters and
/// subscriptions). Other systems send its commands over the broker; a process sends the same
/// commands as jobs of its service tasks (job type `registration.register-customer`).
struct Registration: UtilisService {
    let name = "registration"

    var topology: ServiceTopology {
        ServiceTopology(service: name, commands: [RegisterCustomer.name, UpdateCustomer.name], queries: [FindCustomers.name, GetCustomer.name])
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
