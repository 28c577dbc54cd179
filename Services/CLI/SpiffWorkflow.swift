import ArgumentParser
import Foundation

/// SpiffWorkflow 3.2.0 in a virtual environment of the build folder, run on a model file with
/// the loop its documentation gives: `do_engine_steps()`, then each ready manual task gets its
/// data and `run()`.
enum SpiffWorkflow {
    struct Result {
        var version: String
        var python: String
        var instances: Int
        var seconds: Double
        var rounds: [Double]
        var perSecond: Double { BPMNBench.Measurement.median(rounds) }
    }

    static let script = """
        import json, sys, time, platform
        from importlib.metadata import version
        from SpiffWorkflow.bpmn.parser import BpmnParser
        from SpiffWorkflow.bpmn import BpmnWorkflow
        from SpiffWorkflow.util.task import TaskState

        path, process, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
        parser = BpmnParser()
        parser.add_bpmn_file(path)
        spec = parser.get_spec(process)

        def instance():
            workflow = BpmnWorkflow(spec)
            workflow.do_engine_steps()
            for task in workflow.get_tasks(state=TaskState.READY, manual=True):
                task.data = {"approved": True}
                task.run()
            workflow.do_engine_steps()
            assert workflow.completed, "the instance did not complete"
            assert any(t.task_spec.name == "approvedEnd" for t in workflow.get_tasks(state=TaskState.COMPLETED))

        for _ in range(100):
            instance()
        rounds, total, elapsed = [], 0, 0.0
        for _ in range(5):
            count, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds / 5:
                instance()
                count += 1
            taken = time.perf_counter() - start
            rounds.append(count / taken)
            total, elapsed = total + count, elapsed + taken
        print(json.dumps({"version": version("spiffworkflow"), "python": platform.python_version(), "instances": total,
                          "seconds": elapsed, "rounds": rounds}))
        """

    static func measure(model: URL, process: String, seconds: Double, folder: URL) throws -> Result {
        let environment = folder.appendingPathComponent("spiff-venv")
        let python = environment.appendingPathComponent("bin/python").path
        if !FileManager.default.fileExists(atPath: python) {
            try run("/usr/bin/python3", ["-m", "venv", environment.path])
        }
        if (try? run(python, ["-c", "import SpiffWorkflow"])) == nil {
            try run(environment.appendingPathComponent("bin/pip").path, ["install", "--quiet", "spiffworkflow==3.2.0"])
        }
        let scriptFile = folder.appendingPathComponent("spiff_bench.py")
        try script.write(to: scriptFile, atomically: true, encoding: .utf8)
        let output = try run(python, [scriptFile.path, model.path, process, String(seconds)])
        guard let line = output.split(separator: "\n").last, let data = line.data(using: .utf8),
            let fields = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let instances = fields["instances"] as? Int, let elapsed = fields["seconds"] as? Double,
            let rounds = fields["rounds"] as? [Double]
        else { throw ValidationError("SpiffWorkflow printed no result: \(output)") }
        return Result(
            version: fields["version"] as? String ?? "?", python: fields["python"] as? String ?? "?", instances: instances,
            seconds: elapsed, rounds: rounds)
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("\(executable) \(arguments.joined(separator: " ")) failed: \(output)")
        }
        return output
    }
}
