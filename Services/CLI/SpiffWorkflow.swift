import ArgumentParser
import Foundation

/// SpiffWorkflow 3.2.0 in a virtual environment of the build folder, run on a model file with
/// the loop its documentation gives: `do_engine_steps()`, then each ready manual task gets its
/// data and `run()`.
enum SpiffWorkflow {
    /// Reads the model once, warms up, then answers each line `round SECONDS` on its input with
    /// the instances and seconds of one round (after a fifth of a second not counted), so rounds
    /// can alternate with this engine's.
    static let script = """
        import json, sys, time, platform
        from importlib.metadata import version
        from SpiffWorkflow.bpmn.parser import BpmnParser
        from SpiffWorkflow.bpmn import BpmnWorkflow
        from SpiffWorkflow.util.task import TaskState

        path, process = sys.argv[1], sys.argv[2]
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
            return workflow

        # The warm-up also checks that the instance took the approved branch.
        for _ in range(200):
            workflow = instance()
        assert any(t.task_spec.name == "approvedEnd" for t in workflow.get_tasks(state=TaskState.COMPLETED))
        print(json.dumps({"version": version("spiffworkflow"), "python": platform.python_version()}), flush=True)
        for line in sys.stdin:
            seconds = float(line.split()[1])
            warm = time.perf_counter()
            while time.perf_counter() - warm < 0.2:
                instance()
            count, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds:
                instance()
                count += 1
            taken = time.perf_counter() - start
            print(json.dumps({"instances": count, "seconds": taken}), flush=True)
        """

    /// A running SpiffWorkflow benchmark process.
    final class Runner {
        let process = Process()
        let input = Pipe()
        let output = Pipe()
        var buffer = Data()
        private(set) var version = "?"
        private(set) var python = "?"

        init(model: URL, process processId: String, folder: URL) throws {
            let environment = folder.appendingPathComponent("spiff-venv")
            let python = environment.appendingPathComponent("bin/python").path
            if !FileManager.default.fileExists(atPath: python) {
                try SpiffWorkflow.run("/usr/bin/python3", ["-m", "venv", environment.path])
            }
            if (try? SpiffWorkflow.run(python, ["-c", "import SpiffWorkflow"])) == nil {
                try SpiffWorkflow.run(environment.appendingPathComponent("bin/pip").path, ["install", "--quiet", "spiffworkflow==3.2.0"])
            }
            let scriptFile = folder.appendingPathComponent("spiff_bench.py")
            try SpiffWorkflow.script.write(to: scriptFile, atomically: true, encoding: .utf8)
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [scriptFile.path, model.path, processId]
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            let first = try readLine()
            version = first["version"] as? String ?? "?"
            self.python = first["python"] as? String ?? "?"
        }

        /// One round: instances and seconds.
        func round(seconds: Double) throws -> (instances: Int, seconds: Double) {
            input.fileHandleForWriting.write(Data("round \(seconds)\n".utf8))
            let fields = try readLine()
            guard let instances = fields["instances"] as? Int, let taken = fields["seconds"] as? Double else {
                throw ValidationError("SpiffWorkflow answered \(fields)")
            }
            return (instances, taken)
        }

        private func readLine() throws -> [String: Any] {
            while !buffer.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                guard !chunk.isEmpty else { throw ValidationError("SpiffWorkflow ended without an answer") }
                buffer.append(chunk)
            }
            let end = buffer.firstIndex(of: UInt8(ascii: "\n"))!
            let line = buffer[buffer.startIndex..<end]
            buffer = Data(buffer[(end + 1)...])
            guard let fields = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw ValidationError("SpiffWorkflow printed \(String(decoding: line, as: UTF8.self))")
            }
            return fields
        }

        func stop() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
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
