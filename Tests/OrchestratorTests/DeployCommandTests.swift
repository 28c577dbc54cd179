import Contracts
import Foundation
import Postgres
import Testing
import TestSupport

/// `utilis deploy` and `utilis message` as an operator runs them against a running
/// orchestrator: a new model becomes version 1, the same bytes again change nothing, a changed
/// one is version 2, a broken one is refused before anything is sent; a message reaches the
/// instance waiting for it by its key.
extension OrchestratorTests {
    func utilis(_ command: String, _ arguments: [String]) async throws -> (status: Int32?, output: String) {
        let url = try #require(ProcessInfo.processInfo.environment["UTILIS_TEST_AMQP_URL"])
        let process = try ChildProcess(TestEnvironment.executable("utilis"), arguments: [command, "--amqp-url", url, "--actor", "operator:sara"] + arguments)
        let status = await process.wait(timeout: .seconds(60))
        return (status, process.log)
    }

    @Test func utilisMessageReachesTheInstanceWaitingForItsKey() async throws {
        let running = try await start(models: ["await-payment.bpmn": Self.paymentModel])
        _ = try await running.nextEvent()
        let listening = try await listen(jobType: TestEnvironment.uniqueName("none"), on: running)
        try await send(StartProcess(processId: "await-payment", version: nil, businessKey: "BILL-7", variables: ["bill": .string("BILL-7")]), on: running)
        let first = try await next(TaskCreated.self, on: running, from: listening)
        try await send(CompleteTask(taskId: first.taskId, variables: nil), on: running)
        let bad = try await utilis("message", ["payment-received", "--key", "BILL-7", "--variables", "[1]"])
        #expect(bad.status != 0 && bad.output.contains("--variables must be a JSON object"), "\(bad.output)")
        let sent = try await utilis("message", ["payment-received", "--key", "BILL-7", "--variables", #"{"paidAt": "cash desk 3"}"#])
        #expect(sent.status == 0 && sent.output.contains("sent payment-received for BILL-7"), "\(sent.output)")
        let thank = try await next(TaskCreated.self, on: running, from: listening)
        #expect(thank.elementId == "thank" && thank.businessKey == "BILL-7")
        await running.stop()
    }

    @Test func utilisDeployStoresVersionsAndRefusesABrokenModel() async throws {
        let running = try await start(models: [:])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("deploy-cli"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        func utilis(_ arguments: [String]) async throws -> (status: Int32?, output: String) { try await self.utilis("deploy", arguments) }
        let file = try write("meter-reading.bpmn", Self.model("meter-reading"))
        let first = try await utilis([file])
        #expect(first.status == 0 && first.output.contains("meter-reading.bpmn: meter-reading version 1"), "\(first.output)")
        let again = try await utilis([file])
        #expect(again.status == 0 && again.output.contains("meter-reading version 1 (unchanged"), "\(again.output)")
        let changed = try await utilis([try write("meter-reading.bpmn", Self.model("meter-reading", task: "check"))])
        #expect(changed.status == 0 && changed.output.contains("meter-reading version 2"), "\(changed.output)")
        let broken = try await utilis([try write("broken.bpmn", Self.model("broken").replacingOccurrences(of: "targetRef=\"", with: "targetRef=\"nowhere-"))])
        #expect(broken.status == 1 && broken.output.contains("broken.bpmn: rejected"), "\(broken.output)")
        #expect(try await running.versions("meter-reading") == [1, 2])
        #expect(try await running.versions("broken").isEmpty, "nothing of the broken model is stored")
        await running.stop()
    }
}
