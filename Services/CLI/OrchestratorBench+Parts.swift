import AMQP
import ArgumentParser
import Contracts
import Foundation
import Logging
import Messaging
import Postgres
import Synchronization

/// One phase: starts at a steady rate, a worker and a client answering at once, and an observer
/// timing each instance from its start to its `process-completed`.
struct BenchPhase {
    let processId: String
    let rate: Int
    let seconds: Int
    let amqp: AMQPConfiguration
    let logger: Logger

    struct Result {
        var started: Int
        var completed: Int
        var elapsed: Double
        var latencies: [Double]
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
    }

    func run() async throws -> Result {
        let startedAt = Mutex<[UUID: Double]>([:])
        let latencies = Mutex<[Double]>([])
        let stopping = StopFlag()
        let answering = [
            // The worker and the client read only the ids they answer with: their own cost is
            // not the orchestrator's, and they share its two cores.
            Task { try await answer(BenchQueues.work, stopping: stopping) { delivery in
                let jobId = try Self.field("jobId", of: delivery)
                return (CompleteJob.type, CompleteJob.routingKey, try JSONBody.encode(CompleteJob(jobId: jobId, variables: ["accurate": .bool(true)])))
            } },
            Task { try await answer(BenchQueues.tasks, stopping: stopping) { delivery in
                let (taskId, elementId) = (try Self.field("taskId", of: delivery), try Self.field("elementId", of: delivery))
                return (CompleteTask.type, CompleteTask.routingKey, try JSONBody.encode(CompleteTask(taskId: taskId, variables: [elementId: .bool(true)])))
            } },
        ]
        let observer = AMQPConnection(configuration: amqp, name: "bench-observer", logger: logger)
        try await observer.consume(queue: BenchQueues.done, prefetch: 4096)
        let observing = Task {
            while !stopping.isSet {
                guard let batch = try? await observer.nextDeliveries(max: 1024, timeout: .milliseconds(50)), let last = batch.last else { continue }
                let now = Date().timeIntervalSince1970
                let ids = batch.compactMap { try? Self.field("instanceId", of: $0) }.compactMap { UUID(text: $0) }
                let times = startedAt.withLock { starts in ids.compactMap { starts[$0] } }
                latencies.withLock { $0 += times.map { now - $0 } }
                _ = try? await observer.ack(last, multiple: true)
            }
        }

        // Open loop: the starts go out at the rate whatever the orchestrator does, in 10 ms slices.
        let publisher = AMQPConnection(configuration: amqp, name: "bench-starts", logger: logger)
        let begin = ContinuousClock.now
        let slices = seconds * 100
        var sent = 0
        for slice in 0..<slices {
            let due = rate * (slice + 1) / 100 - sent
            let now = Date().timeIntervalSince1970
            var messages: [AMQPOutgoingMessage] = []
            for index in 0..<due {
                let id = UUID()
                startedAt.withLock { $0[id] = now }
                let envelope = Envelope(messageId: id, type: StartProcess.type, actor: "user:bench")
                let body = try JSONBody.encode(StartProcess(
                    processId: processId, version: nil, businessKey: "REQ-\(sent + index)", variables: ["meter": .string("EM-\(sent + index)")]))
                messages.append(AMQPOutgoingMessage(
                    exchange: Exchanges.commands, routingKey: StartProcess.routingKey, properties: envelope.properties(), body: body, mandatory: true))
            }
            if !messages.isEmpty { _ = try await publisher.publish(messages) }
            sent += due
            let next = begin + .milliseconds(10 * (slice + 1))
            if next > .now { try await Task.sleep(until: next) }
        }
        await publisher.close()

        // Then until every instance has completed, or a minute without progress.
        var lastCount = 0
        var lastProgress = ContinuousClock.now
        var finished = begin
        while true {
            let count = latencies.withLock { $0.count }
            if count != lastCount { (lastCount, lastProgress, finished) = (count, .now, .now) }
            if count >= sent || ContinuousClock.now - lastProgress > .seconds(60) { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        stopping.set()
        for task in answering { try await task.value }
        await observing.value
        await observer.close()
        let times = latencies.withLock { $0 }.sorted()
        return Result(started: sent, completed: times.count, elapsed: (finished - begin).seconds, latencies: times)
    }

    static func field(_ name: String, of delivery: AMQPDelivery) throws -> String {
        guard case .string(let value)? = try JSONValue.parse(delivery.body)[name] else { throw ValidationError("a message without \(name)") }
        return value
    }

    /// Takes each delivery of `queue`, publishes the answer `reply` makes (with confirms), then acks.
    private func answer(
        _ queue: String, stopping: StopFlag, reply: @Sendable (AMQPDelivery) throws -> (type: String, routingKey: String, body: [UInt8])
    ) async throws {
        let consumer = AMQPConnection(configuration: amqp, name: "bench-\(queue)", logger: logger)
        try await consumer.consume(queue: queue, prefetch: 4096)
        while !stopping.isSet {
            let batch = try await consumer.nextDeliveries(max: 512, timeout: .milliseconds(20))
            guard let last = batch.last else { continue }
            let answers = try batch.map { delivery in
                let (type, routingKey, body) = try reply(delivery)
                return AMQPOutgoingMessage(
                    exchange: Exchanges.commands, routingKey: routingKey, properties: Envelope(type: type, actor: "user:bench").properties(),
                    body: body, mandatory: true)
            }
            _ = try await consumer.publish(answers)
            _ = try await consumer.ack(last, multiple: true)
        }
        await consumer.close()
    }
}

final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}

/// A service under test, as its own process.
final class ServiceProcess: Sendable {
    private let process: Process
    var pid: Int32 { process.processIdentifier }

    private init(process: Process) { self.process = process }

    static func besideThisExecutable(_ name: String) -> String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Starts `executable` with this process's environment and `environment` over it.
    static func start(executable: String, environment: [String: String]) throws -> ServiceProcess {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ValidationError("no service at \(executable): build it (swift build -c release --product NAME) or say where it is")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        try process.run()
        return ServiceProcess(process: process)
    }

    /// Waits up to a minute (or `within`) for `ready`, and fails at once if the process ends.
    func waitUntil(_ what: String, within: Duration = .seconds(60), _ ready: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + within
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw ValidationError("the service exited with status \(process.terminationStatus)") }
            if try await ready() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("not ready within \(within): \(what)")
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Its user and system CPU time so far, from /proc.
    func cpuSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return .nan }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command name: state is field 3, utime 14, stime 15.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Context switches of its threads so far, voluntary and not, from /proc.
    func contextSwitches() -> Int {
        var total = 0
        for task in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? [] {
            let status = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8)) ?? ""
            // voluntary_ctxt_switches:	12 and nonvoluntary_ctxt_switches:	3
            for line in status.split(separator: "\n") where line.contains("ctxt_switches:") {
                total += Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
        }
        return total
    }

    /// VmRSS and VmHWM, in MiB.
    func residentMemory() -> (current: Double, peak: Double) {
        ResidentMemory.read(path: "/proc/\(pid)/status")
    }
}
