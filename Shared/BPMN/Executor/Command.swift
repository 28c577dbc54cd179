import Contracts

/// What can be done to a process instance.
public enum Command: Sendable {
    /// Starts an instance: at the given start event, or at the process's none start event.
    case start(processId: String, startEvent: String?, variables: [String: JSONValue])
    case completeTask(key: Int, variables: [String: JSONValue])
    case completeJob(key: Int, variables: [String: JSONValue])
    /// A job that failed; with no retries left it becomes an incident.
    case failJob(key: Int, retries: Int, message: String)
    /// A BPMN error thrown by the worker of a job (or the user of a task).
    case throwError(key: Int, code: String, message: String)
    case correlateMessage(name: String, correlationKey: String?, variables: [String: JSONValue])
    case broadcastSignal(name: String, variables: [String: JSONValue])
    case fireTimer(key: Int)
    case cancel
    /// Sets variables on a scope (the process when nil), as `local` or propagated upwards.
    case setVariables(scope: Int?, variables: [String: JSONValue], local: Bool)
    /// Runs the failed step again; for a job, with `retries` (1 when nil).
    case resolveIncident(key: Int, retries: Int?)
    /// Hands an open job out again (after a failure with retries left, or a timeout): the job
    /// is created anew with the variables as they are now and its retries left.
    case retryJob(key: Int)
}

/// A command that does not apply to the instance as it is; nothing was changed.
public struct CommandRejected: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
