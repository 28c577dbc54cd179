import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// The orchestrator's queries over request/reply.
extension OrchestratorTests {
    @Test func anInstanceCanBeReadWithItsTrailAndFoundByKeyAndStatus() async throws {
        let jobType = TestEnvironment.uniqueName("registration") + ".install-meter"
        let running = try await start(models: ["new-connection.bpmn": Self.connectionModel(jobType: jobType)])
        _ = try await running.nextEvent()
        let listening = try await listen(jobType: jobType, on: running)
        try await send(StartProcess(processId: "new-connection", version: nil, businessKey: "REQ-77", variables: ["customer": .string("C-7")]), on: running)
        let task = try await next(TaskCreated.self, on: running, from: listening)
        try await send(CompleteTask(taskId: task.taskId, variables: nil), on: running)
        let job = try await self.job(on: running, from: listening)
        try await send(FailJob(jobId: job.jobId, retries: 0, message: "registry down"), on: running)
        _ = try await next(IncidentRaised.self, on: running, from: listening)

        let client = RequestClient(amqp: running.amqp, actor: "operator:test", logger: TestEnvironment.logger)
        let details = try await client.ask(GetInstance(instanceId: task.instanceId), timeout: .seconds(10))
        #expect(details.summary.businessKey == "REQ-77")
        #expect(details.summary.status == "incident")
        #expect(details.active == ["install"])
        #expect(details.incidents.map(\.message) == ["registry down"])
        #expect(details.variables["customer"] == .string("C-7"))
        #expect(details.history.prefix(3).map { "\($0.event) \($0.elementId)" } == ["activated new-connection", "activated requested", "completed requested"])
        #expect(details.history.first { $0.elementId == "survey" && $0.event == "completed" }?.actor == "operator:sara")

        let byKey = try await client.ask(FindInstances(businessKey: "REQ-77", processId: nil, status: nil, limit: nil), timeout: .seconds(10))
        #expect(byKey.instances.map(\.instanceId) == [task.instanceId])
        let withIncidents = try await client.ask(FindInstances(businessKey: nil, processId: "new-connection", status: "incident", limit: 10), timeout: .seconds(10))
        #expect(withIncidents.instances.count == 1)
        let completed = try await client.ask(FindInstances(businessKey: nil, processId: nil, status: "completed", limit: 10), timeout: .seconds(10))
        #expect(completed.instances.isEmpty)
        do {
            _ = try await client.ask(GetInstance(instanceId: UUID().uuidString.lowercased()), timeout: .seconds(10))
            Issue.record("an unknown instance was answered")
        } catch {
            #expect("\(error)".contains("no process instance"))
        }
        await client.close()
        await running.stop()
    }
}
