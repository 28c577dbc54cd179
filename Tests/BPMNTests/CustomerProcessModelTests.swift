import BPMN
import Contracts
import Foundation
import Testing

/// The customer office's models in `deploy/processes/` have what each legal process needs:
/// a start form and who may start it; for every step a form, a group that does it and a due
/// date; a supervisor alerted by a non-interrupting timer; service tasks that are commands of
/// Registration, the Ledger or Billing, whose refusals come back to a person with the reason shown; a diagram.
@Suite struct CustomerProcessModelTests {
    static let folder = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../deploy/processes").standardized

    static var models: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path())) ?? []).filter { $0.hasSuffix(".bpmn") }.sorted()
    }

    @Test func theNineProcessesOfTheCustomerOfficeAreThere() {
        #expect(Self.models == [
            "bill-dispute.bpmn", "billing-request.bpmn", "change-of-ownership.bpmn", "customer-registration.bpmn", "meter-inspection.bpmn", "meter-relocation.bpmn",
            "meter-replacement.bpmn", "new-connection.bpmn", "reading-review.bpmn",
        ])
    }

    @Test(arguments: models) func eachStepHasAFormAGroupAndADueDateAndTheOverdueOnesAlertASupervisor(_ file: String) throws {
        let definitions = try BPMNReader.read(String(decoding: try Data(contentsOf: Self.folder.appending(path: file)), as: UTF8.self))
        let process = try #require(definitions.processes.first)
        #expect(!process.candidateStarterGroups.isEmpty, "\(file): who may start it")
        let start = try #require(process.startEvents.first.flatMap(process.node))
        #expect(start.startForm != nil, "\(file): a start form")
        let shapes = Set(definitions.diagram.planes.flatMap(\.shapes).map(\.elementId))
        for node in process.nodeList {
            #expect(shapes.contains(node.id), "\(file): \(node.id) is drawn")
            if let task = node.userTask {
                #expect(task.form != nil, "\(file): \(node.id) has a form")
                let groups = task.candidateGroups.map(\.source) ?? ""
                #expect(!groups.isEmpty, "\(file): \(node.id) has a group")
                let isAlert = groups == "supervisor"
                #expect(isAlert || task.dueDate != nil, "\(file): \(node.id) has a due date")
            }
            if let job = node.job {
                let type = job.type.source
                let contract = Catalog.contract(forType: "\(type).v1")
                #expect(contract?.kind == .command && ["registration", "ledger", "billing"].contains(contract?.service ?? ""), "\(file): \(node.id) runs a command: \(type)")
            }
            if case .error(let code)? = node.trigger, let host = node.attachedTo {
                let service = process.node(host)?.job.map { String($0.type.source.prefix { $0 != "." }) } ?? "?"
                #expect(code == "\(service.uppercased())_REFUSED", "\(file): \(node.id) catches \(service)'s refusal of \(host)")
                let variable = try #require(node.errorMessageVariable, "\(file): \(node.id) keeps the reason")
                let back = try #require(node.outgoing.first.flatMap { process.flows[$0]?.target }.flatMap(process.node))
                #expect(back.userTask?.form?.fields.contains { $0.key == variable && $0.readonly } == true,
                        "\(file): the refusal of \(host) is shown, read-only, to whoever does \(back.id)")
            }
        }
        let alerts = process.nodeList.filter {
            guard case .timer? = $0.trigger, $0.attachedTo != nil, !$0.cancelActivity else { return false }
            let target = $0.outgoing.first.flatMap { process.flows[$0]?.target }.flatMap(process.node)
            return target?.userTask?.candidateGroups?.source == "supervisor"
        }
        #expect(!alerts.isEmpty, "\(file): a non-interrupting timer alerts a supervisor")
    }
}
