import Contracts
import Foundation
import Messaging
import Postgres
import Registry

/// Registration's commands, from other systems and as jobs of a process's service tasks. A
/// command that is well formed but that the record refuses answers `command-refused` (a job:
/// the BPMN error `REGISTRATION_REFUSED`, which the process can catch and send back to the
/// clerk) naming each field; a malformed one is dead-lettered with the field.
enum RegistrationCommands {
    static let refusedCode = "REGISTRATION_REFUSED"

    enum Outcome {
        case done(customerNumber: String, event: OutgoingMessage?)
        case refused([FieldProblem])
    }

    @Sendable static func handle(_ message: InboundMessage, _ context: MessageContext) async throws {
        let actor = message.envelope.actor ?? "unknown"
        // A process's job comes as the command its type names, wrapped (the job's id, the
        // instance's variables): the orchestrator sends `<job type>.v1`.
        if let job = try? message.decode(WorkerJob.self), message.envelope.type == "\(job.type).v1" {
            try await perform(job, message: message, context: context)
            return
        }
        switch message.envelope.type {
        case RegisterCustomer.type:
            let command = try message.decode(RegisterCustomer.self)
            answer(try await Customers.register(command.customer, actor: actor, cause: message, on: context.database), to: message, context)
        case UpdateCustomer.type:
            let command = try message.decode(UpdateCustomer.self)
            answer(try await Customers.update(command.customerNumber, command.customer, actor: actor, cause: message, on: context.database), to: message, context)
        default:
            throw MessageRejected(field: "type", "registration takes no \(message.envelope.type)")
        }
    }

    private static func answer(_ outcome: Outcome, to message: InboundMessage, _ context: MessageContext) {
        switch outcome {
        case .done(_, let event): if let event { context.send(event) }
        case .refused(let problems):
            if let refusal = try? OutgoingMessage.contract(
                CommandRefused(command: message.envelope.type, problems: problems), causedBy: message)
            {
                context.send(refusal)
            }
        }
    }

    /// A job of a service task: the command its type names, with the instance's variables as
    /// the command's fields (`customer` as an object, or the details' fields at the top level).
    private static func perform(_ job: WorkerJob, message: InboundMessage, context: MessageContext) async throws {
        let actor = message.envelope.actor ?? "process:\(job.processId)"
        let outcome: Outcome
        switch job.type {
        case RegisterCustomer.routingKey:
            let details = try customerDetails(job.variables)
            outcome = try await Customers.register(details, actor: actor, cause: message, on: context.database)
        case UpdateCustomer.routingKey:
            guard case .string(let number)? = job.variables["customerNumber"] else {
                throw MessageRejected(field: "variables.customerNumber", "the job needs the customer's number")
            }
            outcome = try await Customers.update(number, try customerDetails(job.variables), actor: actor, cause: message, on: context.database)
        default:
            throw MessageRejected(field: "type", "registration does no job of type \(job.type)")
        }
        switch outcome {
        case .done(let number, let event):
            if let event { context.send(event) }
            context.send(try .contract(CompleteJob(jobId: job.jobId, variables: ["customerNumber": .string(number)]), causedBy: message))
        case .refused(let problems):
            context.send(try .contract(
                ThrowError(jobId: job.jobId, code: refusedCode, message: problems.map(\.description).joined(separator: "; ")), causedBy: message))
        }
    }

    /// The customer's details from a job's variables.
    static func customerDetails(_ variables: [String: JSONValue]) throws(MessageRejected) -> CustomerDetails {
        let source: JSONValue = variables["customer"] ?? .object(variables)
        do {
            return try JSONDecoder().decode(CustomerDetails.self, from: Data(source.canonicalJSON.utf8))
        } catch let error as DecodingError {
            let rejected = MessageRejected(decoding: error)
            throw MessageRejected(field: "variables.\(rejected.field ?? "customer")", rejected.reason)
        } catch {
            throw MessageRejected(field: "variables.customer", "\(error)")
        }
    }
}
