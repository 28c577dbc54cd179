import Foundation
import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// Tells open inbox pages that their tasks changed, so new tasks appear without a reload.
/// Every change to a task notifies `cartable_inbox` in its own transaction with the principals
/// it concerns (`Audience.refresh`); PostgreSQL delivers the notification to every replica's
/// listener only once that transaction commits, so a page that reloads on it sees the change,
/// whichever replica made it.
final class LiveInbox: Service, Sendable {
    static let channel = "cartable_inbox"
    /// A principal meaning everyone: sent when a change concerns too many to list.
    static let everyone = "*"

    struct Watcher {
        let principals: Set<String>
        let continuation: AsyncStream<Event>.Continuation
    }

    enum Event: Sendable {
        case changed
        /// Nothing changed: keeps idle connections (and the proxies between) open.
        case keepAlive
    }

    private let watchers = Mutex<[UUID: Watcher]>([:])
    private let configuration: PostgresConfiguration
    private let logger: Logger
    private let stopping = Atomic<Bool>(false)

    init(configuration: PostgresConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The events for one open page of an employee with these principals; ends at shutdown.
    func watch(_ principals: [String]) -> AsyncStream<Event> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(1))
        continuation.onTermination = { [weak self] _ in self?.watchers.withLock { _ = $0.removeValue(forKey: id) } }
        if stopping.load(ordering: .relaxed) {
            continuation.finish()
        } else {
            watchers.withLock { $0[id] = Watcher(principals: Set(principals), continuation: continuation) }
        }
        return stream
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            await listen()
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
        }
        // Finished outside the lock: a stream's termination handler takes it.
        let open = watchers.withLock { all in
            defer { all.removeAll() }
            return Array(all.values)
        }
        for watcher in open { watcher.continuation.finish() }
    }

    private func listen() async {
        let listener = PostgresConnection(configuration: configuration, logger: logger)
        var listening = false
        var lastKeepAlive = ContinuousClock.now
        while !stopping.load(ordering: .relaxed) {
            do {
                if !listening {
                    try await listener.listen(Self.channel)
                    listening = true
                }
                let notifications = try await listener.notifications(timeout: .milliseconds(500))
                if !notifications.isEmpty { deliver(notifications.map(\.payload)) }
                if ContinuousClock.now - lastKeepAlive > .seconds(20) {
                    lastKeepAlive = .now
                    watchers.withLock { for watcher in $0.values { watcher.continuation.yield(.keepAlive) } }
                }
            } catch {
                logger.warning("live inbox listener waiting: \(error)")
                listening = false
                await listener.close()
                try? await Task.sleep(for: .seconds(1))
            }
        }
        await listener.close()
    }

    private func deliver(_ payloads: [String]) {
        var concerned = Set<String>()
        for payload in payloads { concerned.formUnion(payload.split(separator: " ").map(String.init)) }
        let all = concerned.contains(Self.everyone)
        watchers.withLock { watchers in
            for watcher in watchers.values where all || !watcher.principals.isDisjoint(with: concerned) {
                watcher.continuation.yield(.changed)
            }
        }
    }
}
