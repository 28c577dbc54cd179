import BPMN
import Foundation
import Testing

/// The BPMN Model Interchange Working Group's reference models (and their Camunda Modeler
/// exports) through the reader: each loads, or is rejected for the reasons listed here.
@Suite struct MIWGTests {
    static let folder = Bundle.module.resourceURL!.appendingPathComponent("MIWG")

    static func models() -> [String] {
        let top = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let exported = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("camunda-modeler").path)) ?? []
        return (top.filter { $0.hasSuffix(".bpmn") } + exported.filter { $0.hasSuffix(".bpmn") }.map { "camunda-modeler/\($0)" }).sorted()
    }

    /// Why a model is refused, as the reader must say it (one reason it gives, per model).
    static let rejected: [String: String] = [
        "C.1.1.bpmn": "is not FEEL: the document writes its expressions in http://www.w3.org/1999/XPath",
        "C.3.0.bpmn": "is not FEEL: the document writes its expressions in http://www.w3.org/1999/XPath",
        // Camunda Modeler marks every process executable; these exports keep the descriptive
        // models' gaps (no job types, no message names, no timer values, no conditions).
        "camunda-modeler/A.2.1-export.bpmn": "Gateway_107rogi: the branch Flow_1xhc3bf has neither a condition",
        "camunda-modeler/A.3.0-export.bpmn": "Event_1uez1gc: the element names no message",
        "camunda-modeler/B.1.0-export.bpmn": "StartEvent_1: the timer has no timeDate, timeDuration or timeCycle",
        "camunda-modeler/B.2.0-export.bpmn": "Activity_1n1hhyt: standard loops are not supported",
        "camunda-modeler/C.1.0-export.bpmn": "StartEvent_1: the element names no message",
        "camunda-modeler/C.1.1-export.bpmn": "Activity_1f1t5k9: the serviceTask has no job type",
        "camunda-modeler/C.2.0-export.bpmn": "StartEvent_1: the element names no message",
        "camunda-modeler/C.3.0-export.bpmn": "Event_1p3ah5d: the timer has no timeDate, timeDuration or timeCycle",
        "camunda-modeler/C.5.0-export.bpmn": "Activity_10xe0k2: the call activity names no process",
        "camunda-modeler/C.6.0-export.bpmn": "Event_0oxjqip: compensation events are not supported yet",
        "camunda-modeler/C.7.0-export.bpmn": "Activity_05ada8y: the multi-instance activity has neither an input collection",
        "camunda-modeler/C.9.0-export.bpmn": "Activity_0zdpcxw: the call activity names no process",
        "camunda-modeler/C.9.1-export.bpmn": "Activity_10l9gn3: the element names no message",
        "camunda-modeler/C.9.2-export.bpmn": "Event_0s3q36a: the timer has no timeDate, timeDuration or timeCycle",
    ]

    @Test func theSuiteIsComplete() {
        #expect(Self.models().count == 42)
    }

    @Test(arguments: models())
    func eachModelLoadsOrIsRejectedForItsReason(_ name: String) throws {
        let bytes = try #require(FileManager.default.contents(atPath: Self.folder.appendingPathComponent(name).path))
        do {
            let definitions = try BPMNReader.read(Array(bytes))
            #expect(Self.rejected[name] == nil, "\(name) loaded, but it should be rejected: \(Self.rejected[name] ?? "")")
            #expect(!definitions.processes.isEmpty || definitions.diagram.planes.count > 0)
            // Every model of the suite has a diagram, and the reader keeps all of it.
            #expect(definitions.diagram.planes.contains { !$0.shapes.isEmpty }, "\(name) lost its diagram")
        } catch {
            let reason = try #require(Self.rejected[name], "\(name) was rejected: \(error)")
            #expect(error.problems.contains { $0.description.contains(reason) }, "\(name): \(error)")
        }
    }
}
