import Contracts
import Foundation
import Messaging
import Postgres
import Reporting
import ServiceKit

/// Reports: the read model of the whole business. It keeps every event it follows, applies
/// each through the projection of `Shared/Reporting` in the same transaction, and answers
/// reports compiled from the catalog's whitelist.
struct Reports: UtilisService {
    let name = "reports"

    var topology: ServiceTopology {
        ServiceTopology(service: name, commands: [RebuildReports.name], queries: [RunReport.name], eventPatterns: ReadModel.followed)
    }

    func migrations() throws -> [MigrationSet] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw PostgresError(.configuration, "reports' migrations are missing from the bundle")
        }
        return [try .load(component: name, from: folder)]
    }

    // A transaction a batch: at thousands of events a second, larger batches spend less of the
    // database's time on commits and on the summary rows every batch rewrites.
    var eventConsumerOptions: MessageConsumer.Options { MessageConsumer.Options(batchSize: 1000, prefetch: 2000) }

    func eventHandler(_ environment: ServiceEnvironment) -> (any MessageHandler)? { ReportEvents() }
    func commandHandler(_ environment: ServiceEnvironment) -> (any MessageHandler)? { Rebuild(logger: environment.logger) }
    func queryHandlers(_ environment: ServiceEnvironment) -> [String: QueryResponder.Handler] {
        [RunReport.type: { message in try await ReportQueries.run(try message.decode(RunReport.self).report, on: environment.database) }]
    }
}
