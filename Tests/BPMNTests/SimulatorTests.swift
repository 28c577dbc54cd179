import BPMN
import Contracts
import Foundation
import Testing

/// The simulator and its scenario format, on the executable MIWG models.
@Suite struct SimulatorTests {
    func simulate(_ name: String, _ scenario: String) throws -> Simulator.Outcome {
        let bytes = try #require(FileManager.default.contents(atPath: MIWGTests.folder.appendingPathComponent(name).path))
        let definitions = try BPMNReader.read(Array(bytes))
        let parsed = try Scenario.parse(try JSONValue.parse(Array(scenario.utf8)))
        let process = try #require(definitions.process(parsed.process))
        return Simulator(library: StaticLibrary([definitions])).run(parsed, process: process.id)
    }

    func end(_ outcome: Simulator.Outcome) -> [String: JSONValue] {
        if case .object(let line)? = outcome.lines.last { return line }
        return [:]
    }

    @Test func theDocumentRequestRemindsDailyAndEndsWhenTheDocumentArrives() throws {
        let outcome = try simulate("C.9.1.bpmn", """
            {"start": {"variables": {"documentReferenceId": "D-1"}},
             "steps": [{"completeJob": "SendTask_RequestDocument"}, {"advanceClock": "P2DT1H"},
               {"completeJob": "SendTask_SendReminderEmail"}, {"completeJob": "SendTask_SendReminderEmail"},
               {"correlateMessage": "MESSAGE_documentReceived", "correlationKey": "D-1", "variables": {"document": "scan.pdf"}}]}
            """)
        #expect(outcome.rejection == nil)
        #expect(end(outcome)["state"] == .string("completed"))
        #expect(end(outcome)["variables"]?["document"] == .string("scan.pdf"))
        for line in outcome.lines.dropLast() {
            #expect(line["event"] != nil && line["elementId"] != nil, "\(line)")
        }
    }

    @Test func withoutAnAnswerInAWeekTheCustomerIsCalled() throws {
        let outcome = try simulate("C.9.1.bpmn", """
            {"start": {"variables": {"documentReferenceId": "D-2"}}, "steps": [{"completeJob": "SendTask_RequestDocument"}, {"advanceClock": "P7D"}]}
            """)
        #expect(end(outcome)["state"] == .string("active"))
        #expect(end(outcome)["active"]?.description.contains("UserTask_CallCustomer") == true)
    }

    @Test func theManualCheckModelRuns() throws {
        let bytes = try #require(FileManager.default.contents(atPath: MIWGTests.folder.appendingPathComponent("C.9.2.bpmn").path))
        let process = try #require(try BPMNReader.read(Array(bytes)).process())
        let outcome = try simulate("C.9.2.bpmn", #"{"start": {"variables": {}}, "steps": []}"#)
        #expect(outcome.rejection == nil, "\(outcome.lines)")
        #expect(end(outcome)["state"] != .string("not started"))
        #expect(!process.nodes.isEmpty)
    }

    @Test func theInvoiceIsReviewedWhenRejectedThenApprovedAndArchived() throws {
        let outcome = try simulate("C.1.0.bpmn", """
            {"process": "bpmn-miwg-test-case-c.1.0", "start": {"variables": {"invoice": "INV-9"}},
             "steps": [{"completeTask": "assignApprover", "variables": {"approver": "sara"}},
               {"completeTask": "approveInvoice", "variables": {"approved": false}},
               {"completeTask": "reviewInvoice", "variables": {"clarified": "yes"}},
               {"completeTask": "approveInvoice", "variables": {"approved": true}},
               {"completeTask": "prepareBankTransfer"}, {"completeJob": "archiveInvoice"}]}
            """)
        #expect(outcome.rejection == nil, "\(outcome.lines.suffix(3))")
        #expect(end(outcome)["state"] == .string("completed"))
        // The Camunda 7 delegate expression names the worker.
        #expect(outcome.lines.contains { $0["event"] == .string("job-created") && $0["type"] == .string("archiveService") })
        #expect(outcome.lines.filter { $0["event"] == .string("task-created") && $0["elementId"] == .string("approveInvoice") }.count == 2)

        let abandoned = try simulate("C.1.0.bpmn", """
            {"process": "bpmn-miwg-test-case-c.1.0", "steps": [{"completeTask": "assignApprover"},
              {"completeTask": "approveInvoice", "variables": {"approved": false}}, {"completeTask": "reviewInvoice", "variables": {"clarified": "no"}}]}
            """)
        #expect(end(abandoned)["state"] == .string("completed"))
        #expect(abandoned.lines.contains { $0["event"] == .string("element-completed") && $0["elementId"] == .string("invoiceNotProcessed") })
    }

    @Test func aSuspectedFraudStartsItsEventSubProcessBesideTheManualCheck() throws {
        let outcome = try simulate("C.9.2.bpmn", """
            {"start": {"variables": {"documentReferenceId": "D-5", "fraudSuspectedId": "F-5"}},
             "steps": [{"correlateMessage": "Message_FraudSuspected", "correlationKey": "F-5"}]}
            """)
        let active = end(outcome)["active"]?.description ?? ""
        #expect(active.contains("UserTask_DecideOnApplication") && active.contains("UserTask_CheckForFraud"))
        let task = try #require(outcome.lines.first { $0["event"] == .string("task-created") && $0["elementId"] == .string("UserTask_CheckForFraud") })
        #expect(task["candidateGroups"] == .array([.string("riskteam")]))
    }

    @Test func aStepThatDoesNotApplyStopsTheRunAndSaysWhy() throws {
        let outcome = try simulate("C.9.1.bpmn", #"{"steps": [{"completeTask": "UserTask_CallCustomer"}]}"#)
        #expect(outcome.rejection == "UserTask_CallCustomer has no open user task")
        #expect(outcome.lines.dropLast().last?["event"] == .string("step-rejected"))
    }

    @Test func scenarioErrorsNameTheField() {
        for (text, field) in [
            (#"{"steps": [{"advanceClock": "soon"}]}"#, "steps[0].advanceClock"), (#"{"steps": [{"dance": 1}]}"#, "steps[0]"),
            (#"{"start": {"variables": 3}}"#, "start.variables"), (#"{"clock": "yesterday"}"#, "clock"),
            (#"{"steps": [{"failJob": "t", "retries": 1.5}]}"#, "steps[0].retries"), (#"{"stepz": []}"#, "stepz"),
        ] {
            do {
                _ = try Scenario.parse(try JSONValue.parse(Array(text.utf8)))
                Issue.record("\(text) was accepted")
            } catch let invalid as Scenario.Invalid {
                #expect(invalid.field == field, "\(text): \(invalid)")
            } catch {
                Issue.record("\(text): \(error)")
            }
        }
    }
}
