import AMQP
import Contracts
import Foundation
import Logging
import Messaging
import Postgres
import ServiceLifecycle

/// What a service's handlers share: its settings, its database, its logger, a query client.
public struct ServiceEnvironment: Sendable {
    public let configuration: ServiceConfiguration
    public let database: PostgresPool
    public let logger: Logger
    public let requests: RequestClient

    public init(configuration: ServiceConfiguration, database: PostgresPool, logger: Logger, requests: RequestClient) {
        self.configuration = configuration
        self.database = database
        self.logger = logger
        self.requests = requests
    }
}

/// A Utilis service: a small type that says what it receives and how it handles it; the
/// defaults in the extension do the rest (migrations, consumers, outbox relay, ping, health,
/// graceful shutdown), in the way Hummingbird's `ApplicationProtocol` does for an app.
public protocol UtilisService: Sendable {
    /// The name in queues, routing keys, the database and logs.
    var name: String { get }
    var topology: ServiceTopology { get }
    /// The service's own migrations, applied after the messaging tables.
    func migrations() throws -> [MigrationSet]
    /// How each consumer of `<service>.commands` takes its deliveries.
    var commandConsumerOptions: MessageConsumer.Options { get }
    /// How the event queue is consumed: batches and prefetch (a read model wants large batches).
    var eventConsumerOptions: MessageConsumer.Options { get }
    /// Handles `<service>.commands`.
    func commandHandler(_ environment: ServiceEnvironment) -> (any MessageHandler)?
    /// Handles `<service>.events`.
    func eventHandler(_ environment: ServiceEnvironment) -> (any MessageHandler)?
    /// Answers `<service>.queries` other than `ping`, by message type.
    func queryHandlers(_ environment: ServiceEnvironment) -> [String: QueryResponder.Handler]
    /// Further long-running parts (schedulers, HTTP servers), started after the messaging ones.
    func services(_ environment: ServiceEnvironment) throws -> [any Service]
    /// Told about a command the broker returned because no queue takes it.
    func commandReturned(_ message: OutgoingMessage, reason: String, environment: ServiceEnvironment)
}

extension UtilisService {
    public func migrations() throws -> [MigrationSet] { [] }
    public var commandConsumerOptions: MessageConsumer.Options { MessageConsumer.Options() }
    public var eventConsumerOptions: MessageConsumer.Options { MessageConsumer.Options() }
    public func commandHandler(_ environment: ServiceEnvironment) -> (any MessageHandler)? { nil }
    public func eventHandler(_ environment: ServiceEnvironment) -> (any MessageHandler)? { nil }
    public func queryHandlers(_ environment: ServiceEnvironment) -> [String: QueryResponder.Handler] { [:] }
    public func services(_ environment: ServiceEnvironment) throws -> [any Service] { [] }
    public func commandReturned(_ message: OutgoingMessage, reason: String, environment: ServiceEnvironment) {}

    /// Reads the configuration from the environment and runs the service until SIGTERM or SIGINT.
    public func runFromEnvironment() async throws {
        let configuration = try ServiceConfiguration.fromEnvironment(service: name)
        try await run(configuration: configuration)
    }

    /// Runs the service: migrations first, then every part in one `ServiceGroup`, stopped in
    /// reverse order on SIGTERM or SIGINT (queries and consumers stop taking work, the relay
    /// flushes the outbox, the health port closes last).
    public func run(configuration: ServiceConfiguration) async throws {
        let registry = Observability.bootstrap(level: configuration.logLevel)
        var logger = Logger(label: "utilis.\(name)")
        logger[metadataKey: "instance"] = .string(configuration.instance)
        let startedAt = Date()

        try await Migrator.apply([try .messaging()] + (try migrations()), to: configuration.database, logger: logger)
        let database = PostgresPool(
            configuration: configuration.database, maximumConnections: configuration.databasePoolSize, logger: logger)
        let environment = ServiceEnvironment(
            configuration: configuration, database: database, logger: logger,
            requests: RequestClient(amqp: configuration.amqp, actor: "system:\(name)", logger: logger))

        var topology = self.topology
        if !topology.queries.contains("ping") { topology.queries.append("ping") }
        let readiness = Readiness()
        var parts: [any Service] = []
        if configuration.httpPort != 0 {
            parts.append(
                HealthServer.application(
                    configuration: configuration, database: database, readiness: readiness, registry: registry, logger: logger))
        }
        parts.append(
            OutboxRelay(amqp: configuration.amqp, database: database, logger: logger) { message, reason in
                self.commandReturned(message, reason: reason, environment: environment)
            })
        if let handler = commandHandler(environment), !topology.commands.isEmpty {
            // Competing consumers in one process, as replicas are; they share the queue's readiness entry.
            for _ in 0..<configuration.commandConsumers {
                parts.append(
                    MessageConsumer(queue: topology.commandQueue, topology: topology, amqp: configuration.amqp, database: database,
                        handler: handler, options: commandConsumerOptions, logger: logger, readiness: readiness))
            }
        }
        if let handler = eventHandler(environment), !topology.eventPatterns.isEmpty {
            parts.append(
                MessageConsumer(queue: topology.eventQueue, topology: topology, amqp: configuration.amqp, database: database,
                    handler: handler, options: eventConsumerOptions, logger: logger, readiness: readiness))
        }
        var queries = queryHandlers(environment)
        queries["\(name).ping.v1"] = { _ in
            let databaseStatus = (try? await database.withConnection { try await $0.query("SELECT 1") }) == nil ? "unavailable" : "ok"
            return try JSONBody.encode(
                Pong(service: name, instance: configuration.instance, version: UtilisVersion.current,
                    startedAt: ISO8601DateFormatter().string(from: startedAt), database: databaseStatus))
        }
        parts.append(
            QueryResponder(topology: topology, amqp: configuration.amqp, logger: logger, readiness: readiness) { [queries] message in
                guard let handler = queries[message.envelope.type] else {
                    throw MessageRejected(field: "type", "\(message.envelope.type) is not a query of \(name)")
                }
                return try await handler(message)
            })
        parts += try services(environment)

        logger.info("starting", metadata: ["broker": "\(configuration.amqp.redacted)", "database": "\(configuration.database.redacted)"])
        var services = parts.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
        if ProcessInfo.processInfo.environment[ParentWatch.variable] == "1" {
            services.append(.init(service: ParentWatch(), successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger))
        try await group.run()
        await environment.requests.close()
        await database.close()
        logger.info("stopped")
    }
}

/// The version printed by `utilis --version` and answered by `ping`.
public enum UtilisVersion {
    public static let current = "0.1.0"
}
