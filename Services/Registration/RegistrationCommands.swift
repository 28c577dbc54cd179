import Contracts
import Foundation
import Messaging
import Postgres
import Registry

/// Registration's commands, from other systems and as jobs of a process's service tasks. A
/// command that is well formed but that the record refuses answers `command-refused` (a job:
/// the BPMN error `REGISTRATION_REFUSED`, which the process can catch and send back to the
/// clerk) naming each field; a malformed message is dead-lettered with the field.
enum RegistrationCommands {
    static let refusedCode = "REGISTRATION_REFUSED"

    enum Outcome {
        /// `results` become the process's variables when the command came as a job.
        case done(results: [String: JSONValue], events: [OutgoingMessage])
        case refused([FieldProblem])
    }

    /// What a command is done with: who asked, the message that asked, the transaction.
    struct Request: Sendable {
        let actor: String
        let cause: InboundMessage
        let db: PostgresConnection
        let now: Date

        func event<M: MessageContract>(_ event: M) throws -> OutgoingMessage { try .contract(event, causedBy: cause) }
    }

    /// Where a command's fields come from: the message body, or a job's variables.
    struct Input: Sendable {
        let body: JSONValue?
        let message: InboundMessage
        /// A job's variables are named `variables.<field>` in what a malformed one is refused with.
        var fieldPrefix: String { body == nil ? "" : "variables." }

        func decode<T: Decodable>(_ type: T.Type) throws(MessageRejected) -> T {
            guard let body else { return try message.decode(T.self) }
            return try body.decodeVariables(T.self)
        }
    }

    typealias Handler = @Sendable (Input, Request) async throws -> Outcome

    /// Each command by its routing key, which is also its job type.
    static let handlers: [String: Handler] = [
        RegisterCustomer.routingKey: { input, request in try await Customers.register(try input.decode(RegisterCustomer.self).customer, request) },
        UpdateCustomer.routingKey: { input, request in
            let command = try input.decode(UpdateCustomer.self)
            return try await Customers.update(command.customerNumber, command.customer, request)
        },
        ReceiveMeter.routingKey: { input, request in try await Meters.receive(try input.decode(ReceiveMeter.self), request) },
        RequestConnection.routingKey: { input, request in try await Connections.request(try input.decode(RequestConnection.self), request) },
        CreateSubscription.routingKey: { input, request in try await Connections.subscribe(try input.decode(CreateSubscription.self), request) },
        InstallMeter.routingKey: { input, request in try await Meters.install(try input.decode(InstallMeter.self), request) },
        RemoveMeter.routingKey: { input, request in try await Meters.remove(try input.decode(RemoveMeter.self), request) },
        ReplaceMeter.routingKey: { input, request in try await Meters.replace(try input.decode(ReplaceMeter.self), request) },
        RelocateMeter.routingKey: { input, request in try await Meters.relocate(try input.decode(RelocateMeter.self), request) },
        RecordInspection.routingKey: { input, request in try await Inspections.record(try input.decode(RecordInspection.self), request) },
        ChangeOwnership.routingKey: { input, request in try await Subscriptions.changeOwnership(try input.decode(ChangeOwnership.self), request) },
        ActivateSubscription.routingKey: { input, request in try await Subscriptions.move(try input.decode(ActivateSubscription.self), request) },
        SuspendSubscription.routingKey: { input, request in try await Subscriptions.move(try input.decode(SuspendSubscription.self), request) },
        ReconnectSubscription.routingKey: { input, request in try await Subscriptions.move(try input.decode(ReconnectSubscription.self), request) },
        TerminateSubscription.routingKey: { input, request in try await Subscriptions.move(try input.decode(TerminateSubscription.self), request) },
        ChangeMeterStatus.routingKey: { input, request in try await Meters.changeStatus(try input.decode(ChangeMeterStatus.self), request) },
        ImportCustomers.routingKey: { input, request in try await Imports.run(try input.decode(ImportCustomers.self), request) },
    ]

    static var names: [String] { handlers.keys.map { String($0.dropFirst("registration.".count)) }.sorted() }

    @Sendable static func handle(_ message: InboundMessage, _ context: MessageContext) async throws {
        // A process's job comes as the command its type names, wrapped (the job's id, the
        // instance's variables).
        if let job = message.workerJob {
            try await perform(job, message: message, context: context)
            return
        }
        let routingKey = message.envelope.type.split(separator: ".").prefix(2).joined(separator: ".")
        guard let handler = handlers[routingKey], message.envelope.type == "\(routingKey).v1" else {
            throw MessageRejected(field: "type", "registration takes no \(message.envelope.type)")
        }
        let request = Request(actor: message.envelope.actor ?? "unknown", cause: message, db: context.database, now: Date())
        switch try await handler(Input(body: nil, message: message), request) {
        case .done(_, let events): events.forEach(context.send)
        case .refused(let problems):
            context.send(try .contract(CommandRefused(command: message.envelope.type, problems: problems), causedBy: message))
        }
    }

    /// A job of a service task: the command its type names, with the instance's variables as
    /// the command's fields. Variables that do not make the command are refused like a
    /// command the record refuses, so the process can send them back to the clerk.
    private static func perform(_ job: WorkerJob, message: InboundMessage, context: MessageContext) async throws {
        guard let handler = handlers[job.type] else { throw MessageRejected(field: "type", "registration does no job of type \(job.type)") }
        // A step of a process: recorded as the process's, whichever orchestrator sent it.
        let request = Request(actor: "process:\(job.processId)", cause: message, db: context.database, now: Date())
        let outcome: Outcome
        do {
            outcome = try await handler(Input(body: jobBody(job), message: message), request)
        } catch let rejected as MessageRejected {
            outcome = .refused([FieldProblem(rejected.field ?? "variables", rejected.reason)])
        }
        switch outcome {
        case .done(let results, let events):
            events.forEach(context.send)
            context.send(try .contract(CompleteJob(jobId: job.jobId, variables: results), causedBy: message))
        case .refused(let problems):
            context.send(try .contract(
                ThrowError(jobId: job.jobId, code: refusedCode, message: problems.map(\.description).joined(separator: "; ")), causedBy: message))
        }
    }

    /// The command's fields from the job's variables. A customer's details may be the clerk's
    /// form data as the process holds it, flat, rather than under `customer`.
    static func jobBody(_ job: WorkerJob) -> JSONValue {
        var fields = job.variables
        if [RegisterCustomer.routingKey, UpdateCustomer.routingKey].contains(job.type), fields["customer"] == nil {
            fields = ["customer": .object(job.variables), "customerNumber": job.variables["customerNumber"] ?? .null]
        }
        return .object(fields)
    }
}
