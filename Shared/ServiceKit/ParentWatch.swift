import Foundation
import ServiceLifecycle

/// Stops the service gracefully when the process that started it is gone, if asked to with
/// `UTILIS_STOP_WITH_PARENT=1`. The tests ask: a test run that crashed had left its services
/// running, and they took the messages of the next run's queues. Deployed services do not ask;
/// their supervisor stops them.
struct ParentWatch: Service {
    static let variable = "UTILIS_STOP_WITH_PARENT"

    /// The parent at start; an orphan is handed to another process, so its parent id changes.
    let parent = getppid()

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while getppid() == parent { try await Task.sleep(for: .milliseconds(250)) }
        }
    }
}
