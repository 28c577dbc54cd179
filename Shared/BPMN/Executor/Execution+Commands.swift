import Contracts

/// Applies a command to a running instance, or rejects it without changing anything.
extension Execution {
    mutating func apply(_ command: Command) throws(CommandRejected) {
        switch command {
        case .start:
            throw CommandRejected("the instance is already started")
        case .completeTask(let key, let variables):
            try waiting(key, for: .userTask, what: "user task")
            queue.append(.complete(key, variables: variables, flows: nil))
        case .completeJob(let key, let variables):
            try waiting(key, for: .job, what: "job")
            queue.append(.complete(key, variables: variables, flows: nil))
        case .failJob(let key, let retries, let message):
            try waiting(key, for: .job, what: "job")
            let elementId = state.elements[key]!.elementId
            state.elements.update(key) { $0.retries = max(0, retries) }
            emit(.jobFailed(key: key, elementId: elementId, retries: max(0, retries), message: message))
            if retries <= 0 { raiseIncident(key, message.isEmpty ? "the job failed with no retries left" : message, isJob: true) }
        case .throwError(let key, let code, let message):
            guard let element = state.elements[key], element.wait == .job || element.wait == .userTask else {
                throw CommandRejected("no open job or user task has the key \(key)")
            }
            if !throwError(code, message: message, from: key) {
                if element.wait == .job { emit(.jobCancelled(key: key, elementId: element.elementId)) }
                raiseIncident(key, "the error \(code) thrown by \(element.elementId) is not caught\(message.isEmpty ? "" : ": \(message)")")
            }
        case .correlateMessage(let name, let correlationKey, let variables):
            let candidates = state.subscriptions.values.filter { subscription in
                subscription.kind == .message && subscription.name == name
                    && (subscription.correlationKey == nil || correlationKey == nil || subscription.correlationKey == correlationKey)
            }
            guard let subscription = candidates.min(by: { $0.key < $1.key }) else {
                throw CommandRejected("no subscription of the instance waits for the message \(name)\(correlationKey.map { " with correlation key \($0)" } ?? "")")
            }
            trigger(subscription.key, variables: variables)
        case .broadcastSignal(let name, let variables):
            broadcast(name, variables: variables)
        case .fireTimer(let key):
            guard let subscription = state.subscriptions[key], subscription.kind == .timer else {
                throw CommandRejected("no timer of the instance has the key \(key)")
            }
            trigger(key, variables: [:])
        case .cancel:
            let processId = state.elements[0]?.elementId ?? state.models[0].processId
            let root = state.elements[0]
            terminate(0)
            if var root { root.wait = nil; state.elements[0] = root }
            state.subscriptions = [:]
            state.joins = []
            state.incidents = [:]
            state.status = .terminated
            emit(.instanceTerminated(processId: processId))
        case .setVariables(let scope, let variables, let local):
            let key = scope ?? 0
            guard state.elements[key] != nil else { throw CommandRejected("no scope of the instance has the key \(key)") }
            for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
                if local { state.elements.update(key) { $0.variables[name] = value } } else { set(name, value, from: key) }
            }
        case .retryJob(let key):
            try waiting(key, for: .job, what: "job")
            guard let node = node(of: state.elements[key]!) else { throw CommandRejected("no open job has the key \(key)") }
            createJob(key, node: node)
        case .resolveIncident(let key, let retries):
            guard let incident = state.incidents[key] else { throw CommandRejected("no open incident has the key \(key)") }
            state.incidents[key] = nil
            emit(.incidentResolved(key: key, elementId: incident.elementId))
            guard state.elements[incident.element] != nil else { return }
            if incident.isJob {
                state.elements.update(incident.element) { $0.retries = max(1, retries ?? 1) }
                if let node = node(of: state.elements[incident.element]!) { createJob(incident.element, node: node) }
            } else {
                queue.append(.enter(incident.element))
            }
        }
    }

    private func waiting(_ key: Int, for wait: ElementInstance.Wait, what: String) throws(CommandRejected) {
        guard state.elements.wait(key) == .some(wait) else {
            throw CommandRejected("no open \(what) has the key \(key)")
        }
    }
}
