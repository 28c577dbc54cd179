// The orchestrator service: see Orchestrator.swift.
import Foundation

let environment = ProcessInfo.processInfo.environment
try await Orchestrator(processesFolder: environment["UTILIS_PROCESSES_DIR"] ?? "deploy/processes").runFromEnvironment()
