import BPMN
import Contracts
import Logging
import ServiceKit
import Synchronization

/// Process diagrams for the pages: a version's XML is asked of the orchestrator once and kept
/// parsed (a deployed version never changes); the marks come from the instance's history.
final class Diagrams: Sendable {
    private let parsed = Mutex<[String: Definitions]>([:])

    /// The SVG of an instance's process with its finished and current steps, or nil when the
    /// model has no diagram or the orchestrator did not answer (the page shows the rest).
    func svg(processId: String, version: Int, instance: InstanceDetails?, environment: ServiceEnvironment) async -> String? {
        let key = "\(processId)@\(version)"
        var definitions = parsed.withLock { $0[key] }
        if definitions == nil {
            do {
                let definition = try await environment.requests.ask(GetProcessDefinition(processId: processId, version: version), timeout: .seconds(3))
                let read = try BPMNReader.read(definition.xml)
                parsed.withLock { $0[key] = read }
                definitions = read
            } catch {
                environment.logger.warning("no diagram for \(key): \(error)")
                return nil
            }
        }
        guard let definitions, let process = definitions.processes.first(where: { $0.id == processId }) else { return nil }
        var marks = DiagramSVG.Marks()
        if let instance {
            marks.current = Set(instance.active)
            marks.finished = Set(instance.history.filter { $0.event == "completed" || $0.event == "taken" }.map(\.elementId)).subtracting(marks.current)
            // A flow is finished when both its ends are.
            for (id, flow) in process.flows where marks.finished.contains(flow.source) && (marks.finished.contains(flow.target) || marks.current.contains(flow.target)) {
                marks.finished.insert(id)
            }
        }
        return DiagramSVG.render(definitions, process: process, marks: marks)
    }
}
