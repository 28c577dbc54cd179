import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit
import ServiceLifecycle

/// The cartable: each employee's inbox of user tasks, materialized from the orchestrator's task
/// events, and the HTTP gateway through which employees sign in, see, claim and complete them.
///
/// Settings beyond `ServiceConfiguration`: `UTILIS_GATEWAY_PORT`, the gateway's port (8080; the
/// address is `UTILIS_HTTP_HOST`'s), and `UTILIS_PEOPLE_FILE`, a JSON file of groups and users
/// loaded at start-up (the demo's, for `make run`).
struct Cartable: UtilisService {
    let name = "cartable"
    let gatewayPort: Int
    let peopleFile: String?

    var topology: ServiceTopology {
        ServiceTopology(
            service: name,
            eventPatterns: [TaskCreated.routingKey, TaskAssigned.routingKey, TaskCompleted.routingKey, TaskCancelled.routingKey])
    }

    func migrations() throws -> [MigrationSet] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw PostgresError(.configuration, "the cartable's migrations are missing from the bundle")
        }
        return [try .load(component: name, from: folder)]
    }

    func eventHandler(_ environment: ServiceEnvironment) -> (any MessageHandler)? { TaskEvents() }

    func services(_ environment: ServiceEnvironment) throws -> [any Service] {
        var services: [any Service] = []
        if let peopleFile { services.append(PeopleLoader(file: peopleFile, environment: environment)) }
        // Stopped in reverse order: the live inbox first, so the open event streams end and the
        // gateway's graceful stop does not wait for them.
        let live = LiveInbox(configuration: environment.database.configuration, logger: environment.logger)
        services.append(try Gateway.application(port: gatewayPort, environment: environment, live: live))
        services.append(live)
        return services
    }
}
