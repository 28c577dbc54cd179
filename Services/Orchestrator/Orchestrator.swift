import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit
import ServiceLifecycle

/// The orchestrator: process definitions and their instances, jobs, user tasks, timers,
/// messages, signals and incidents.
///
/// Settings beyond `ServiceConfiguration`: `UTILIS_PROCESSES_DIR`, the folder whose models are
/// deployed at start-up (`deploy/processes`), with the events bound to messages beside them.
struct Orchestrator: UtilisService {
    let name = "orchestrator"
    let processesFolder: String
    let eventBindings: [EventBinding]
    let cache = ModelCache()

    var topology: ServiceTopology {
        ServiceTopology(service: name, commands: [
            DeployProcess.name, StartProcess.name, CompleteJob.name, CompleteTask.name, AssignTask.name, FailJob.name, ThrowError.name,
            ResolveIncident.name, CancelInstance.name, SetVariables.name, CorrelateMessage.name, BroadcastSignal.name,
        ], queries: [GetInstance.name, FindInstances.name, ListStartableProcesses.name, GetProcessDefinition.name], eventPatterns: Array(Set(eventBindings.map(\.event))).sorted())
    }

    func migrations() throws -> [MigrationSet] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw PostgresError(.configuration, "the orchestrator's migrations are missing from the bundle")
        }
        return [try .load(component: name, from: folder)]
    }

    func commandHandler(_ environment: ServiceEnvironment) -> (any MessageHandler)? { Commands(cache: cache) }

    /// An event bound to a message name is correlated as that message; an event no binding
    /// names any more (the binding was removed, the broker's binding stays) is passed by.
    func eventHandler(_ environment: ServiceEnvironment) -> (any MessageHandler)? {
        BoundEvents(cache: cache, bindings: eventBindings)
    }

    func queryHandlers(_ environment: ServiceEnvironment) -> [String: QueryResponder.Handler] { Queries.handlers(environment, cache: cache) }

    /// A job whose type no queue is bound for comes back from the broker: the job becomes an
    /// incident naming the type, to be resolved once a service takes it.
    func commandReturned(_ message: OutgoingMessage, reason: String, environment: ServiceEnvironment) {
        guard let job = try? JSONBody.decode(WorkerJob.self, from: message.body),
            let (id, key) = try? Instances.split(job.jobId, field: "jobId", what: "job")
        else { return }
        let cache = cache
        Task {
            do {
                try await environment.database.transaction { db in
                    let context = MessageContext(database: db)
                    let instances = Instances(cache: cache)
                    try await instances.advance(
                        id, field: "jobId", actor: "system:orchestrator", cause: nil, context: context,
                        command: .failJob(key: key, retries: 0, message: "no service takes jobs of type \(job.type) (\(reason))"))
                    try await instances.finish(on: db)
                    try await Outbox.insert(context.outgoing, on: db)
                }
            } catch {
                environment.logger.warning("a returned job could not become an incident: \(error)", metadata: ["job": "\(job.jobId)"])
            }
        }
    }

    func services(_ environment: ServiceEnvironment) throws -> [any Service] {
        [StartupDeployment(folder: processesFolder, environment: environment), TimerScheduler(cache: cache, environment: environment)]
    }
}
