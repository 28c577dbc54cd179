import Contracts
import Foundation
import Messaging
import Postgres

/// The orchestrator's commands, a batch in one transaction: the instances they name read and
/// locked in one statement, each command applied in turn, then what they wrote, in a few.
struct Commands: MessageHandler {
    let cache: ModelCache

    func handle(_ messages: [InboundMessage], context: MessageContext) async throws {
        let instances = Instances(cache: cache)
        try await instances.lock(messages.compactMap(Self.instanceId), on: context.database)
        for message in messages { try await apply(message, instances: instances, context: context) }
        try await instances.finish(on: context.database)
    }

    /// The instance a command is about, when it names one (a bad id is left to `apply` to refuse).
    private static func instanceId(_ message: InboundMessage) -> UUID? {
        func named(_ text: String?) -> UUID? { text.flatMap { UUID(text: String($0.prefix(36))) } }
        switch message.envelope.type {
        case CompleteJob.type: return named(try? message.decode(CompleteJob.self).jobId)
        case CompleteTask.type: return named(try? message.decode(CompleteTask.self).taskId)
        case AssignTask.type: return named(try? message.decode(AssignTask.self).taskId)
        case FailJob.type: return named(try? message.decode(FailJob.self).jobId)
        case ThrowError.type: return named(try? message.decode(ThrowError.self).jobId)
        case ResolveIncident.type: return named(try? message.decode(ResolveIncident.self).incidentId)
        case CancelInstance.type: return named(try? message.decode(CancelInstance.self).instanceId)
        case SetVariables.type: return named(try? message.decode(SetVariables.self).instanceId)
        default: return nil
        }
    }

    private func apply(_ message: InboundMessage, instances: Instances, context: MessageContext) async throws {
        switch message.envelope.type {
        case StartProcess.type:
            try await instances.start(try message.decode(StartProcess.self), message: message, context: context)
        case CompleteJob.type:
            try await instances.completeJob(try message.decode(CompleteJob.self), message: message, context: context)
        case CompleteTask.type:
            try await instances.completeTask(try message.decode(CompleteTask.self), message: message, context: context)
        case AssignTask.type:
            try await instances.assignTask(try message.decode(AssignTask.self), message: message, context: context)
        case FailJob.type:
            try await instances.failJob(try message.decode(FailJob.self), message: message, context: context)
        case ThrowError.type:
            try await instances.throwError(try message.decode(ThrowError.self), message: message, context: context)
        case ResolveIncident.type:
            try await instances.resolveIncident(try message.decode(ResolveIncident.self), message: message, context: context)
        case CancelInstance.type:
            try await instances.cancel(try message.decode(CancelInstance.self), message: message, context: context)
        case CorrelateMessage.type:
            try await instances.correlate(try message.decode(CorrelateMessage.self), message: message, context: context)
        case BroadcastSignal.type:
            try await instances.broadcast(try message.decode(BroadcastSignal.self), message: message, context: context)
        case SetVariables.type:
            try await instances.setVariables(try message.decode(SetVariables.self), message: message, context: context)
        case DeployProcess.type:
            let command = try message.decode(DeployProcess.self)
            for deployed in try await Deployment.deploy(command, actor: message.envelope.actor ?? "unknown", on: context.database) {
                context.send(try .contract(deployed, causedBy: message))
            }
            instances.pending.latestVersions.removeAll()  // a start after it in this batch takes the new version
        default:
            throw MessageRejected(field: "type", "\(message.envelope.type) is not a command of the orchestrator")
        }
    }
}
