import Synchronization

/// Which consuming parts of a process are subscribed right now. `/health` answers ready only
/// when all are, so a load balancer, an operator or a test never sends work to a replica that
/// has not yet declared its queues (a command published then would be returned as unroutable).
public final class Readiness: Sendable {
    private let parts = Mutex<[String: Bool]>([:])

    public init() {}

    /// Registers a part that is not ready until it says so.
    public func expect(_ part: String) {
        parts.withLock { $0[part] = $0[part] ?? false }
    }

    public func set(_ part: String, ready: Bool) {
        parts.withLock { $0[part] = ready }
    }

    /// The parts not yet (or no longer) consuming, sorted; empty when the process is ready.
    public var waiting: [String] {
        parts.withLock { $0.filter { !$0.value }.map(\.key).sorted() }
    }
}
