import Contracts
import Foundation
import Testing
import TestSupport

/// Forms from the model, checked by the cartable before anything reaches the orchestrator;
/// starting a process from its start form; and administration, for administrators only.
extension OrchestratorTests {
    static let formsModel = """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
          xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d">
          <process id="capacity-change" name="Capacity change" isExecutable="true" camunda:candidateStarterGroups="registration-clerk">
            <extensionElements>
              <zeebe:userTaskForm id="assess">{"components": [
                {"type": "number", "key": "amperes", "label": "New capacity (A)", "validate": {"required": true, "min": 6, "max": 63}},
                {"type": "select", "key": "phases", "values": [{"label": "Single", "value": "1"}, {"label": "Three", "value": "3"}]}]}</zeebe:userTaskForm>
            </extensionElements>
            <startEvent id="requested"><extensionElements><camunda:formData>
              <camunda:formField id="subscriptionNumber" label="Subscription" type="string">
                <camunda:validation><camunda:constraint name="required"/><camunda:constraint name="minlength" config="8"/></camunda:validation>
              </camunda:formField>
              <camunda:formField id="urgent" type="boolean"/>
            </camunda:formData></extensionElements></startEvent>
            <userTask id="assessCapacity" name="Assess the capacity"><extensionElements>
              <zeebe:assignmentDefinition candidateGroups="registration-clerk"/>
              <zeebe:formDefinition formKey="camunda-forms:bpmn:assess"/></extensionElements></userTask>
            <userTask id="confirm" name="Confirm with the customer"><extensionElements>
              <zeebe:assignmentDefinition candidateGroups="registration-clerk"/></extensionElements></userTask>
            <endEvent id="done"/>
            <sequenceFlow id="f1" sourceRef="requested" targetRef="assessCapacity"/>
            <sequenceFlow id="f2" sourceRef="assessCapacity" targetRef="confirm"/>
            <sequenceFlow id="f3" sourceRef="confirm" targetRef="done"/>
          </process>
        </definitions>
        """

    @Test func aProcessStartsFromItsStartFormAndATaskCompletesOnlyWithDataThatFitsItsForm() async throws {
        let running = try await start(models: ["capacity-change.bpmn": Self.formsModel])
        _ = try await running.nextEvent()
        let cartable = try await startCartable(amqp: running.amqp)
        let (maryam, reza) = (try await cartable.signIn("maryam", "maryam-pass"), try await cartable.signIn("reza", "reza-pass"))

        // Only the model's starters are offered the process, with its start form.
        let offered = try await cartable.call("GET", "/api/processes", token: maryam).json["processes"]?.arrayValue ?? []
        #expect(offered.map { $0["processId"] } == [.string("capacity-change")])
        let startFields = offered.first?["startForm"]?["components"]?.arrayValue?.compactMap { $0["key"] }
        #expect(startFields == [.string("subscriptionNumber"), .string("urgent")])
        #expect(try await cartable.call("GET", "/api/processes", token: reza).json["processes"]?.arrayValue == [])
        let path = "/api/processes/capacity-change/start"
        #expect(try await cartable.call("POST", path, token: reza, body: #"{"variables": {"subscriptionNumber": "10004523"}}"#).status == 404)

        // A start that does not fit the form is refused field by field, and starts nothing.
        let refused = try await cartable.call("POST", path, token: maryam, body: #"{"variables": {"subscriptionNumber": "123", "colour": "red"}}"#)
        #expect(refused.status == 422)
        let named = (refused.json["fields"]?.arrayValue ?? []).compactMap { field -> String? in
            guard case .string(let name)? = field["field"], case .string(let error)? = field["error"] else { return nil }
            return "\(name): \(error)"
        }
        #expect(named == ["colour: is not a field of this form", "subscriptionNumber: must be at least 8 characters"])
        let started = try await cartable.call(
            "POST", path, token: maryam, body: #"{"businessKey": "CAP-1", "variables": {"subscriptionNumber": "10004523", "urgent": true}}"#,
            headers: ["Idempotency-Key": "start-cap-1"])
        #expect(started.status == 202)
        let again = try await cartable.call(
            "POST", path, token: maryam, body: #"{"businessKey": "CAP-1", "variables": {"subscriptionNumber": "10004523", "urgent": true}}"#,
            headers: ["Idempotency-Key": "start-cap-1"])
        #expect(again.json == started.json, "the same start sent twice starts one instance")
        guard case .string(let instanceId)? = started.json["instanceId"] else { Issue.record("no instance id: \(started)"); return }

        // The starter may follow the instance they started; the task carries its form.
        try await eventually("the instance is started") {
            try await cartable.call("GET", "/api/instances/\(instanceId)", token: maryam).status == 200
        }
        var taskId = ""
        try await eventually("the assessment reaches the clerks") {
            let tasks = try await cartable.inbox(maryam)
            if case .string(let id)? = tasks.first?["id"] { taskId = id }
            return !taskId.isEmpty
        }
        #expect(try await cartable.inbox(maryam).count == 1, "one start, one instance")
        let task = try await cartable.call("GET", "/api/tasks/\(taskId)", token: maryam)
        #expect(task.json["variables"]?["subscriptionNumber"] == .string("10004523") && task.json["variables"]?["urgent"] == .bool(true))
        #expect(task.json["form"]?["components"]?.arrayValue?.compactMap { $0["key"] } == [.string("amperes"), .string("phases")])

        // Completing with data that does not fit changes nothing: the task stays open and hers.
        #expect(try await cartable.call("POST", "/api/tasks/\(taskId)/claim", token: maryam).status == 200)
        let wrong = try await cartable.call("POST", "/api/tasks/\(taskId)/complete", token: maryam, body: #"{"variables": {"amperes": 80, "phases": "2"}}"#)
        #expect(wrong.status == 422)
        #expect(wrong.json["field"] == .string("amperes"))
        #expect(wrong.json["fields"]?.arrayValue?.map { $0["error"] } == [.string("must be at most 63"), .string("must be one of 1, 3")])
        let still = try await cartable.call("GET", "/api/tasks/\(taskId)", token: maryam)
        #expect(still.json["status"] == .string("open") && still.json["assignee"] == .string("maryam"))
        let missing = try await cartable.call("POST", "/api/tasks/\(taskId)/complete", token: maryam, body: #"{"variables": {}}"#)
        #expect(missing.status == 422 && missing.json["field"] == .string("amperes"))

        let done = try await cartable.call("POST", "/api/tasks/\(taskId)/complete", token: maryam, body: #"{"variables": {"amperes": 32, "phases": "3"}}"#)
        #expect(done.status == 200 && done.json["status"] == .string("completing"))
        try await eventually("the next step has the assessment's values") {
            let tasks = try await cartable.inbox(maryam)
            return tasks.first?["elementId"] == .string("confirm") && tasks.first?["variables"]?["amperes"] == .number(32)
        }
        await cartable.stop()
        await running.stop()
    }

    @Test func administratorsManageUsersGroupsAndIncidentsAndNobodyElseCan() async throws {
        let jobType = TestEnvironment.uniqueName("nobody") + ".check"
        let running = try await start(models: ["meter-check.bpmn": Self.serviceModel(jobType: jobType)])
        _ = try await running.nextEvent()
        let cartable = try await startCartable(amqp: running.amqp)
        let (admin, maryam, reza) = (
            try await cartable.signIn("admin", "admin-pass"), try await cartable.signIn("maryam", "maryam-pass"), try await cartable.signIn("reza", "reza-pass"))

        // Not an administrator: the pages do not exist.
        for path in ["/api/admin/users", "/api/admin/groups", "/api/admin/incidents"] {
            #expect(try await cartable.call("GET", path, token: maryam).status == 404, "\(path)")
        }
        #expect(try await cartable.call("POST", "/api/admin/groups", token: maryam, body: #"{"name": "x", "title": "X"}"#).status == 404)

        // A new group and a user in it, who can then sign in.
        #expect(try await cartable.call("POST", "/api/admin/groups", token: admin, body: #"{"name": "meter-reader", "title": "Meter reader"}"#).status == 201)
        #expect(try await cartable.call("POST", "/api/admin/groups", token: admin, body: #"{"name": "meter-reader", "title": "Again"}"#).status == 409)
        let badGroup = try await cartable.call("POST", "/api/admin/groups", token: admin, body: #"{"name": "Meter Readers", "title": "X"}"#)
        #expect(badGroup.status == 422 && badGroup.json["field"] == .string("name"))
        let parisa = #"{"username": "parisa", "displayName": "Parisa Nouri", "password": "readings-2026", "groups": ["meter-reader"]}"#
        #expect(try await cartable.call("POST", "/api/admin/users", token: admin, body: parisa).status == 201)
        #expect(try await cartable.call("POST", "/api/admin/users", token: admin, body: parisa).status == 409)
        let weak = try await cartable.call("POST", "/api/admin/users", token: admin, body: #"{"username": "omid", "displayName": "Omid", "password": "short"}"#)
        #expect(weak.status == 422 && weak.json["field"] == .string("password"))
        let unknownGroup = try await cartable.call(
            "POST", "/api/admin/users", token: admin, body: #"{"username": "omid", "displayName": "Omid", "password": "long-enough", "groups": ["nowhere"]}"#)
        #expect(unknownGroup.status == 422 && unknownGroup.json["field"] == .string("groups"))
        _ = try await cartable.signIn("parisa", "readings-2026")
        let users = try await cartable.call("GET", "/api/admin/users", token: admin).json["users"]?.arrayValue ?? []
        #expect(users.first { $0["username"] == .string("parisa") }?["groups"] == .array([.string("meter-reader")]))
        #expect(users.first { $0["username"] == .string("omid") } == nil, "a refused user is not half-made")

        // Disabling a user ends their sessions at once; an administrator cannot disable themselves.
        #expect(try await cartable.call("POST", "/api/admin/users/reza", token: admin, body: #"{"active": false}"#).status == 204)
        #expect(try await cartable.call("GET", "/api/tasks", token: reza).status == 401)
        #expect(try await cartable.call("POST", "/api/session", body: #"{"username": "reza", "password": "reza-pass"}"#).status == 401)
        let selfDisable = try await cartable.call("POST", "/api/admin/users/admin", token: admin, body: #"{"active": false}"#)
        #expect(selfDisable.status == 422 && selfDisable.json["field"] == .string("active"))
        #expect(try await cartable.call("POST", "/api/admin/users/nobody", token: admin, body: #"{"active": false}"#).status == 404)

        // A job no service takes becomes an incident the administrator sees and can retry.
        try await send(StartProcess(processId: "meter-check", version: nil, businessKey: "MC-1", variables: nil), on: running)
        var incidentId = ""
        try await eventually("the incident is listed") {
            let incidents = try await cartable.call("GET", "/api/admin/incidents", token: admin).json["incidents"]?.arrayValue ?? []
            if case .string(let id)? = incidents.first(where: { $0["businessKey"] == .string("MC-1") })?["incidentId"] { incidentId = id }
            return !incidentId.isEmpty
        }
        let retried = try await cartable.call("POST", "/api/admin/incidents/\(incidentId)/resolve", token: admin, body: #"{"retries": 2}"#)
        #expect(retried.status == 202)
        let tooMany = try await cartable.call("POST", "/api/admin/incidents/\(incidentId)/resolve", token: admin, body: #"{"retries": 500}"#)
        #expect(tooMany.status == 422 && tooMany.json["field"] == .string("retries"))
        await cartable.stop()
        await running.stop()
    }
}
