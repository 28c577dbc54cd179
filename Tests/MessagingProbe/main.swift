// A small service the tests start as a real process: it records meter readings sent as
// commands and announces each with an event. With PROBE_CRASH_AFTER_COMMIT=1 it kills itself
// with SIGKILL after its first committed batch and before the acknowledgement, which is the
// moment the inbox exists for.
import Foundation
import Logging
import Messaging
import Postgres
import ServiceKit
import ServiceLifecycle

struct ReadingCommand: Codable {
    var meter: String
    var value: Int
}

struct ReadingRecorder: UtilisService {
    let name: String

    var topology: ServiceTopology { ServiceTopology(service: name, commands: ["record-reading"], deliveryLimit: 3) }

    func migrations() throws -> [MigrationSet] {
        [MigrationSet(component: "probe", migrations: [
            Migration(version: 1, name: "readings", sql: """
                CREATE TABLE readings (message_id uuid PRIMARY KEY, meter text NOT NULL, value bigint NOT NULL,
                                       recorded_at timestamptz NOT NULL DEFAULT now());
                """)
        ])]
    }

    func commandHandler(_ environment: ServiceEnvironment) -> (any MessageHandler)? {
        EachMessage { message, context in
            let command = try message.decode(ReadingCommand.self)
            guard command.value >= 0 else { throw MessageRejected(field: "value", "must not be negative") }
            try await context.database.query(
                "INSERT INTO readings (message_id, meter, value) VALUES ($1, $2, $3)",
                [message.envelope.messageId, command.meter, command.value])
            var event = OutgoingMessage(
                envelope: Envelope(correlationId: message.envelope.correlationId, type: "\(name).reading-recorded.v1",
                    causationId: message.envelope.messageId.uuidString.lowercased(), actor: message.envelope.actor),
                exchange: Exchanges.events, routingKey: "\(name).reading-recorded", body: message.body, mandatory: false)
            event.envelope.traceparent = message.envelope.traceparent
            context.send(event)
        }
    }
}

let service = ReadingRecorder(name: ProcessInfo.processInfo.environment["PROBE_SERVICE"] ?? "probe")
if ProcessInfo.processInfo.environment["PROBE_CRASH_AFTER_COMMIT"] == "1" {
    let configuration = try ServiceConfiguration.fromEnvironment(service: service.name)
    Observability.bootstrap(level: .info)
    let logger = Logger(label: "probe")
    try await Migrator.apply([try .messaging()] + service.migrations(), to: configuration.database, logger: logger)
    let pool = PostgresPool(configuration: configuration.database, logger: logger)
    let environment = ServiceEnvironment(
        configuration: configuration, database: pool, logger: logger,
        requests: RequestClient(amqp: configuration.amqp, actor: "probe", logger: logger))
    let consumer = MessageConsumer(
        queue: service.topology.commandQueue, topology: service.topology, amqp: configuration.amqp, database: pool,
        handler: service.commandHandler(environment)!, logger: logger,
        afterCommit: { _ in
            FileHandle.standardError.write(Data("committed, crashing before the ack\n".utf8))
            kill(getpid(), SIGKILL)
        })
    try await ServiceGroup(services: [consumer], logger: logger).run()
} else {
    try await service.runFromEnvironment()
}
