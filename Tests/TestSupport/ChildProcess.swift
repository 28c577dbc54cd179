import Foundation

/// A program the test starts and stops, with its output kept in a file for failure messages.
///
/// Spawned and reaped with posix_spawn and waitpid: Foundation's `Process` did not report the end
/// of a script that leaves a daemon running (deploy/infra.sh starting RabbitMQ).
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private let outputPath: String
    private let lock = NSLock()
    private var exitStatus: Int32?

    public init(_ executable: URL, arguments: [String] = [], environment: [String: String] = [:]) throws {
        outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("utilis-child-\(UUID().uuidString).log").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        // A service ends with the test run that started it, even one that crashed.
        let variables = ProcessInfo.processInfo.environment.merging(["UTILIS_STOP_WITH_PARENT": "1"]) { $1 }.merging(environment) { $1 }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable.path, &actions, nil, argv, envp)
        guard result == 0 else { throw TestSetupError("cannot start \(executable.path): \(String(cString: strerror(result)))") }
        pid = child
    }

    public var log: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// The exit status once the program has ended (a signal number for a killed one), or nil.
    public var status: Int32? {
        lock.withLock {
            if exitStatus == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid {
                    let signal = raw & 0x7f
                    exitStatus = signal == 0 ? (raw >> 8) & 0xff : signal
                }
            }
            return exitStatus
        }
    }

    public var isRunning: Bool { status == nil }

    /// Sends a signal (SIGTERM for a graceful stop, SIGKILL for a crash).
    public func signal(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the program to end and returns its exit status, or nil if it is still running after `timeout`.
    public func wait(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return status
    }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            waitpid(pid, &raw, 0)
        }
        try? FileManager.default.removeItem(atPath: outputPath)
    }
}
