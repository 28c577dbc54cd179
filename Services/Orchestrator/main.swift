// The orchestrator service: see Orchestrator.swift.
import Foundation

let environment = ProcessInfo.processInfo.environment
let folder = environment["UTILIS_PROCESSES_DIR"] ?? "deploy/processes"
let bindings: [EventBinding]
do {
    bindings = try EventBinding.load(folder: folder)
} catch {
    // An operator's mistake in the bindings: said plainly, and the service does not start.
    FileHandle.standardError.write(Data("orchestrator: \(error)\n".utf8))
    exit(78)  // EX_CONFIG
}
try await Orchestrator(processesFolder: folder, eventBindings: bindings).runFromEnvironment()
