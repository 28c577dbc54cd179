import ArgumentParser
import BPMN
import Contracts
import Foundation

/// `utilis bpmn check|simulate`: validate process models and run them on a virtual clock.
struct BPMNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bpmn", abstract: "Validate BPMN models and simulate them.",
        subcommands: [Check.self, Simulate.self])

    static func load(_ path: String) throws -> Definitions {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
        return try BPMNReader.read(Array(data))
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate models: prints each file's processes, or every problem with the id of its element.")

        @Argument(help: "BPMN 2.0 XML files.") var files: [String]
        @Flag(help: "Also print warnings (problems of descriptive processes, ignored elements).") var warnings = false

        func run() throws {
            var failed = false
            for file in files {
                do {
                    let definitions = try BPMNCommand.load(file)
                    let processes = definitions.processes.map { "\($0.id)\($0.isExecutable ? "" : " (descriptive)") with \($0.nodes.count) elements" }
                    print("\(file): ok: \(processes.isEmpty ? "no process (collaboration only)" : processes.joined(separator: ", "))")
                    if warnings { for warning in definitions.warnings { print("  warning: \(warning)") } }
                } catch let rejected as ModelRejected {
                    failed = true
                    print("\(file): rejected")
                    for problem in rejected.problems { print("  \(problem)") }
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a model on a virtual clock: one JSON line per effect, then an end line.",
            discussion: "The scenario format is in the README (\"Simulating a process\").")

        @Argument(help: "The BPMN file of the process.") var file: String
        @Option(help: "The scenario JSON file.") var scenario: String
        @Option(name: .customLong("with"), help: "Further BPMN files whose processes call activities may call.") var others: [String] = []

        func run() throws {
            let definitions: Definitions
            var library: [Definitions] = []
            do {
                definitions = try BPMNCommand.load(file)
                library = [definitions] + (try others.map(BPMNCommand.load))
            } catch let rejected as ModelRejected {
                FileHandle.standardError.write(Data("\(file) is rejected:\n\(rejected)\n".utf8))
                throw ExitCode(2)
            }
            guard let data = FileManager.default.contents(atPath: scenario) else { throw ValidationError("cannot read \(scenario)") }
            let parsed: Scenario
            do {
                parsed = try Scenario.parse(try JSONValue.parse(data))
            } catch let invalid as Scenario.Invalid {
                throw ValidationError("the scenario \(scenario): \(invalid)")
            } catch {
                throw ValidationError("the scenario \(scenario) is not JSON: \(error)")
            }
            guard let process = definitions.process(parsed.process) else {
                throw ValidationError(parsed.process.map { "\(file) has no process \($0)" } ?? "\(file) has no process")
            }
            let outcome = Simulator(library: StaticLibrary(library)).run(parsed, process: process.id)
            for line in outcome.lines { print(line.canonicalJSON) }
            if outcome.rejection != nil { throw ExitCode(1) }
        }
    }
}
