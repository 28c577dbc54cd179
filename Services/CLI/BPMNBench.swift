import ArgumentParser
import BPMN
import Contracts
import Foundation

/// `utilis bench bpmn`: instances per second of the executor on three models, and the same
/// model (a), from the same file, through SpiffWorkflow 3.2.0 in the same run.
struct BPMNBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bpmn", abstract: "Executor instances per second, and the ratio to SpiffWorkflow on the same model.")

    @Option(help: "Seconds each measurement of this engine runs, in five rounds.") var seconds = 5.0
    @Option(help: "Rounds of the comparison with SpiffWorkflow, alternating between the engines.") var rounds = 9
    @Option(help: "Seconds of each SpiffWorkflow round.") var spiffRound = 1.5
    @Option(help: "Seconds of each round of this engine in the comparison.") var ownRound = 1.0
    @Option(help: "Folder for the model files and SpiffWorkflow's virtual environment.") var workDirectory = ".build/bench-bpmn"
    @Flag(help: "Measure this engine only.") var skipSpiff = false
    @Option(help: "The measurements to run, of a, b and c (all by default; a profiler may want one).") var only = "abc"

    /// (a) start, a user task, an exclusive gateway, an end. The condition `approved` reads the
    /// same in FEEL and in Python, so both engines run this very file.
    static let approval = """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          id="bench" targetNamespace="https://utilis.example/bench">
          <process id="approval" isExecutable="true">
            <startEvent id="start"/>
            <userTask id="review" name="Review the application"/>
            <exclusiveGateway id="decide" default="toRejected"/>
            <endEvent id="approvedEnd"/>
            <endEvent id="rejectedEnd"/>
            <sequenceFlow id="toReview" sourceRef="start" targetRef="review"/>
            <sequenceFlow id="toDecide" sourceRef="review" targetRef="decide"/>
            <sequenceFlow id="toApproved" sourceRef="decide" targetRef="approvedEnd">
              <conditionExpression xsi:type="tFormalExpression">approved</conditionExpression>
            </sequenceFlow>
            <sequenceFlow id="toRejected" sourceRef="decide" targetRef="rejectedEnd"/>
          </process>
        </definitions>
        """

    /// (b) a fork into ten branches and their join.
    static let parallel: String = {
        let branches = (1...10).map { "b\($0)" }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="bench-parallel" targetNamespace="https://utilis.example/bench">
              <process id="parallel" isExecutable="true">
                <startEvent id="start"/><parallelGateway id="fork"/><parallelGateway id="join"/><endEvent id="end"/>
                <sequenceFlow id="toFork" sourceRef="start" targetRef="fork"/><sequenceFlow id="toEnd" sourceRef="join" targetRef="end"/>
            \(branches.map { """
                    <task id="\($0)"/><sequenceFlow id="to-\($0)" sourceRef="fork" targetRef="\($0)"/><sequenceFlow id="from-\($0)" sourceRef="\($0)" targetRef="join"/>
            """ }.joined(separator: "\n"))
              </process>
            </definitions>
            """
    }()

    struct Measurement {
        var instances: Int
        var seconds: Double
        var stateBytes: Int
        var effects: Int
        /// Instances per second of each round; the figure reported is their median, since this
        /// machine's cores are shared and single rounds are disturbed now and then.
        var rounds: [Double] = []
        var perSecond: Double { Self.median(rounds) }
        static func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return 0 }
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: workDirectory)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let approvalFile = folder.appendingPathComponent("approval.bpmn")
        try Self.approval.write(to: approvalFile, atomically: true, encoding: .utf8)
        try Self.parallel.write(to: folder.appendingPathComponent("parallel.bpmn"), atomically: true, encoding: .utf8)

        // Both engines read the model from the same file.
        let approval = try BPMNReader.read(Array(try Data(contentsOf: approvalFile)))
        let parallel = try BPMNReader.read(Self.parallel)
        let engine = Engine(library: StaticLibrary([approval, parallel]))

        // The approval model must take its approved end; measured instances only check completion.
        _ = try Self.approvalInstance(engine, now: 0, roundTrip: false, check: true)
        _ = try Self.approvalInstance(engine, now: 0, roundTrip: true, check: true)
        print("setup: \(Self.machine()), build \(Self.buildMode), one thread; each measurement: a warm-up, then 5 rounds in \(seconds) s, median reported")
        var a = Measurement(instances: 0, seconds: 1, stateBytes: 0, effects: 0)
        if only.contains("a") { a = try measure { now in try Self.approvalInstance(engine, now: now, roundTrip: false) } }
        a.stateBytes = try engine.execute(nil, .start(processId: "approval", startEvent: nil, variables: ["applicant": .string("C-1")]), now: 0)
            .0.jsonBytes().count
        print(Self.line("(a) start → user task → exclusive gateway → end", a))
        if only.contains("b") {
        let b = try measure { now in
            let (state, effects) = try engine.execute(nil, .start(processId: "parallel", startEvent: nil, variables: [:]), now: now)
            precondition(state.status == .completed)
            return (try state.jsonBytes().count, effects.count)
        }
        print(Self.line("(b) 10-branch parallel fork and join", b))
        }
        if only.contains("c") {
            let c = try measure { now in try Self.approvalInstance(engine, now: now, roundTrip: true) }
            print(Self.line("(c) (a) with a JSON round trip of the state at the user task", c))
        }

        guard !skipSpiff, only.contains("a") else { return }
        // The comparison alternates rounds of the two engines, so both meet the same disturbances
        // of this shared machine; the ratio is the median of the rounds' ratios.
        let spiff = try SpiffWorkflow.Runner(model: approvalFile, process: "approval", folder: folder)
        defer { spiff.stop() }
        var ours: [Double] = [], theirs: [Double] = [], ratios: [Double] = []
        for _ in 0..<rounds {
            // Each round starts warm, for both engines: a fifth of a second first, not counted.
            _ = try round(seconds: 0.2) { now in try Self.approvalInstance(engine, now: now, roundTrip: false) }
            let mine = try round(seconds: ownRound) { now in try Self.approvalInstance(engine, now: now, roundTrip: false) }
            let other = try spiff.round(seconds: spiffRound)
            let rate = Double(other.instances) / other.seconds
            ours.append(mine)
            theirs.append(rate)
            ratios.append(mine / rate)
        }
        func list(_ values: [Double]) -> String { values.map { String(format: "%.0f", $0) }.joined(separator: " ") }
        print(String(format: "SpiffWorkflow %@ (Python %@), (a) from the same file, rounds alternating with this engine's:",
            spiff.version, spiff.python))
        print(String(format: "  SpiffWorkflow %.0f instances/s (rounds %@); this engine %.0f instances/s (rounds %@)",
            Measurement.median(theirs), list(theirs), Measurement.median(ours), list(ours)))
        let ratio = Measurement.median(ratios)
        print(String(format: "ratio (a): %.0f× SpiffWorkflow (median of the rounds' ratios %@); target ≥ 100×: %@",
            ratio, list(ratios), ratio >= 100 ? "met" : "NOT met"))
    }

    /// One instance of (a): start, complete the task with `approved`. `check` also makes sure it
    /// took the approved end (done in the warm-up, as for SpiffWorkflow).
    static func approvalInstance(_ engine: Engine, now: Double, roundTrip: Bool, check: Bool = false) throws -> (Int, Int) {
        var (state, effects) = try engine.execute(nil, .start(processId: "approval", startEvent: nil, variables: ["applicant": .string("C-1")]), now: now)
        var size = 0
        if roundTrip {
            let bytes = try state.jsonBytes()
            size = bytes.count
            state = try InstanceState.fromJSON(bytes)
        }
        guard case .taskCreated(let task)? = effects.first(where: { if case .taskCreated = $0 { true } else { false } }) else {
            throw ValidationError("the approval model created no task")
        }
        let (done, more) = try engine.execute(consume state, .completeTask(key: task.key, variables: ["approved": .bool(true)]), now: now)
        guard done.status == .completed, !check || more.contains(where: { $0.elementId == "approvedEnd" }) else {
            throw ValidationError("the approval instance did not end at approvedEnd")
        }
        return (size, effects.count + more.count)
    }

    /// Runs `body` repeatedly for `seconds` in five rounds (after a warm-up) and counts the instances.
    func measure(_ body: (Double) throws -> (stateBytes: Int, effects: Int)) throws -> Measurement {
        var sample = (stateBytes: 0, effects: 0)
        for index in 0..<2000 { sample = try body(Double(index)) }
        var result = Measurement(instances: 0, seconds: 0, stateBytes: sample.stateBytes, effects: sample.effects)
        for _ in 0..<5 {
            var instances = 0
            let rate = try round(seconds: seconds / 5, counting: &instances, body)
            result.rounds.append(rate)
            result.instances += instances
            result.seconds += Double(instances) / rate
        }
        return result
    }

    /// One round of `seconds`: instances per second.
    func round(seconds: Double, _ body: (Double) throws -> (stateBytes: Int, effects: Int)) throws -> Double {
        var instances = 0
        return try round(seconds: seconds, counting: &instances, body)
    }

    func round(seconds: Double, counting instances: inout Int, _ body: (Double) throws -> (stateBytes: Int, effects: Int)) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        while clock.now < deadline {
            for _ in 0..<500 { _ = try body(Double(instances)); instances += 1 }
        }
        let elapsed = clock.now - start
        return Double(instances) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    static func line(_ title: String, _ m: Measurement) -> String {
        String(format: "%@: %.0f instances/s (rounds %@; %d in %.1f s), %.1f µs each, state %d bytes of JSON, %d effects per instance",
            title, m.perSecond, m.rounds.map { String(format: "%.0f", $0) }.joined(separator: " "), m.instances, m.seconds,
            1e6 / m.perSecond, m.stateBytes, m.effects)
    }

    static var buildMode: String {
        #if DEBUG
            "debug (use -c release for real figures)"
        #else
            "release"
        #endif
    }

    static func machine() -> String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n")
            .first { $0.hasPrefix("model name") }.flatMap { $0.split(separator: ":").last }.map { $0.trimmingCharacters(in: .whitespaces) }
        return "\(ProcessInfo.processInfo.activeProcessorCount) cores (\(cpu ?? "unknown CPU"))"
    }
}
