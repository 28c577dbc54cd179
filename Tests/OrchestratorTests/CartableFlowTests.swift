import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

extension JSONValue {
    var arrayValue: [JSONValue]? { if case .array(let values) = self { values } else { nil } }
}

/// The cartable with the orchestrator, both real processes: employees sign in, see only the
/// tasks they may, race on a claim, complete a task and find the next step in the next expert's
/// inbox. In the orchestrator's serialized suite: both services own fixed queue names.
extension OrchestratorTests {
    static let reviewModel = """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d">
          <process id="connection-request" name="Connection request" isExecutable="true">
            <startEvent id="requested"/>
            <userTask id="checkDocuments" name="Check the documents"><extensionElements>
              <zeebe:assignmentDefinition candidateGroups="registration-clerk"/></extensionElements></userTask>
            <userTask id="siteSurvey" name="Site survey"><extensionElements>
              <zeebe:assignmentDefinition candidateGroups="field-technician"/></extensionElements></userTask>
            <endEvent id="done"/>
            <sequenceFlow id="f1" sourceRef="requested" targetRef="checkDocuments"/>
            <sequenceFlow id="f2" sourceRef="checkDocuments" targetRef="siteSurvey"/>
            <sequenceFlow id="f3" sourceRef="siteSurvey" targetRef="done"/>
          </process>
        </definitions>
        """

    static let people = """
        {"groups": [{"name": "registration-clerk", "title": "Registration clerk"}, {"name": "field-technician", "title": "Field technician"},
                    {"name": "administrator", "title": "Administrator"}],
         "users": [
           {"username": "maryam", "displayName": "Maryam Ahmadi", "password": "maryam-pass", "groups": ["registration-clerk"]},
           {"username": "sara", "displayName": "Sara Rahimi", "password": "sara-pass", "groups": ["registration-clerk"]},
           {"username": "reza", "displayName": "Reza Karimi", "password": "reza-pass", "groups": ["field-technician"]},
           {"username": "ali", "displayName": "Ali Moradi", "password": "ali-pass", "groups": ["field-technician"], "supervises": ["field-technician"]},
           {"username": "admin", "displayName": "Administrator", "password": "admin-pass", "groups": ["administrator"]}
         ]}
        """

    struct Gateway {
        let process: ChildProcess
        let port: Int

        func call(
            _ method: String, _ path: String, token: String? = nil, body: String? = nil, headers extra: [String: String] = [:]
        ) async throws -> (status: Int, json: JSONValue) {
            var headers = extra
            if let token { headers["Authorization"] = "Bearer \(token)" }
            let response = try await httpRequest(method, port: port, path: path, headers: headers, body: body)
            return (response.status, response.body.isEmpty ? .null : try JSONValue.parse(Array(response.body.utf8)))
        }

        func signIn(_ username: String, _ password: String) async throws -> String {
            let response = try await call("POST", "/api/session", body: #"{"username": "\#(username)", "password": "\#(password)"}"#)
            guard response.status == 201, case .string(let token)? = response.json["token"] else {
                throw TestSetupError("\(username) could not sign in: \(response)")
            }
            return token
        }

        func inbox(_ token: String, view: String = "all") async throws -> [JSONValue] {
            guard case .array(let tasks)? = try await call("GET", "/api/tasks?view=\(view)", token: token).json["tasks"] else { return [] }
            return tasks
        }

        func stop() async {
            process.signal(SIGTERM)
            _ = await process.wait(timeout: .seconds(30))
        }
    }

    func startCartable(amqp: AMQPConfiguration) async throws -> Gateway {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("people"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("people.json")
        try Self.people.write(to: file, atomically: true, encoding: .utf8)
        let database = try await TestEnvironment.freshDatabase("cartable")
        let health = 19_000 + Int.random(in: 4000..<5000), port = 19_000 + Int.random(in: 5000..<6000)
        let process = try ChildProcess(
            TestEnvironment.executable("Cartable"),
            environment: TestEnvironment.serviceVariables(amqp: amqp, database: database).merging([
                "UTILIS_HTTP_PORT": "\(health)", "UTILIS_GATEWAY_PORT": "\(port)", "UTILIS_PEOPLE_FILE": file.path, "UTILIS_LOG_LEVEL": "info",
            ]) { $1 })
        try await eventually("the cartable is ready", timeout: .seconds(60)) {
            (try? await httpGet(port: health, path: "/health"))?.status == 200
        }
        let gateway = Gateway(process: process, port: port)
        // The people file is loaded beside the start-up: ready once its last user is stored (asked
        // of the database, as a sign-in before then would count as a failed one).
        let db = PostgresConnection(configuration: database)
        try await eventually("the people are loaded", timeout: .seconds(30)) {
            (try? await db.query("SELECT 1 FROM users WHERE username = 'admin'").isEmpty) == false
        }
        await db.close()
        return gateway
    }

    @Test func employeesSeeOnlyTheirTasksOneWinsAClaimAndACompletedTaskReachesTheNextExpert() async throws {
        let running = try await start(models: ["connection-request.bpmn": Self.reviewModel])
        _ = try await running.nextEvent()
        let cartable = try await startCartable(amqp: running.amqp)
        let (maryam, sara, reza, ali) = (
            try await cartable.signIn("maryam", "maryam-pass"), try await cartable.signIn("sara", "sara-pass"),
            try await cartable.signIn("reza", "reza-pass"), try await cartable.signIn("ali", "ali-pass"))
        try await send(StartProcess(processId: "connection-request", version: nil, businessKey: "REQ-9", variables: ["customer": .string("C-7")]), on: running)

        // The clerks see the new task; the technicians do not, and asking for it is a 404 like
        // asking for a task that does not exist.
        var taskId = ""
        try await eventually("the task reaches the clerks' inbox") {
            let tasks = try await cartable.inbox(maryam)
            if case .string(let id)? = tasks.first?["id"] { taskId = id }
            return !taskId.isEmpty
        }
        #expect(try await cartable.inbox(sara).count == 1)
        #expect(try await cartable.inbox(reza).isEmpty)
        let hidden = try await cartable.call("GET", "/api/tasks/\(taskId)", token: reza)
        let missing = try await cartable.call("GET", "/api/tasks/\(UUID().uuidString.lowercased()):9", token: reza)
        #expect(hidden.status == 404 && missing.status == 404 && hidden.json == missing.json)
        #expect(try await cartable.call("POST", "/api/tasks/\(taskId)/claim", token: reza).status == 404)
        #expect(try await cartable.call("GET", "/api/tasks", token: nil).status == 401)
        let shown = try await cartable.call("GET", "/api/tasks/\(taskId)", token: maryam)
        #expect(shown.json["name"] == .string("Check the documents") && shown.json["businessKey"] == .string("REQ-9"))
        #expect(shown.json["variables"]?["customer"] == .string("C-7"))

        // Both clerks claim at once: exactly one wins; the other may not complete it.
        let claimPath = "/api/tasks/\(taskId)/claim"
        async let first = cartable.call("POST", claimPath, token: maryam)
        async let second = cartable.call("POST", claimPath, token: sara)
        let outcomes = [try await first, try await second]
        #expect(outcomes.map(\.status).sorted() == [200, 409], "\(outcomes)")
        let (winner, loser) = outcomes[0].status == 200 ? (maryam, sara) : (sara, maryam)
        #expect(try await cartable.call("POST", "/api/tasks/\(taskId)/complete", token: loser, body: "{}").status == 409)
        #expect(try await cartable.inbox(winner, view: "mine").count == 1)
        #expect(try await cartable.inbox(loser, view: "unassigned").isEmpty)

        // The winner completes it with the form's data; the orchestrator goes on and the site
        // survey appears in the technicians' inbox, not in the clerks'.
        let completed = try await cartable.call(
            "POST", "/api/tasks/\(taskId)/complete", token: winner, body: #"{"variables": {"documentsComplete": true}}"#)
        #expect(completed.status == 200 && completed.json["status"] == .string("completing"))
        var surveyId = ""
        try await eventually("the site survey reaches the technicians") {
            let tasks = try await cartable.inbox(reza)
            if case .string(let id)? = tasks.first?["id"] { surveyId = id }
            return !surveyId.isEmpty
        }
        let survey = try await cartable.call("GET", "/api/tasks/\(surveyId)", token: reza)
        #expect(survey.json["variables"]?["documentsComplete"] == .bool(true))
        #expect(try await cartable.inbox(maryam).isEmpty)
        #expect(try await cartable.inbox(sara).isEmpty)
        try await eventually("the clerk's task is completed") {
            try await cartable.call("GET", "/api/tasks/\(taskId)", token: winner).json["status"] == .string("completed")
        }

        // The instance's trail, for those who may see one of its tasks: the clerk's completion is in it.
        let instanceId = shown.json["instanceId"]
        guard case .string(let instance)? = instanceId else { Issue.record("no instance id"); return }
        let trail = try await cartable.call("GET", "/api/instances/\(instance)", token: reza)
        let steps = trail.json["history"]?.arrayValue ?? []
        #expect(steps.contains { $0["event"] == .string("completed") && $0["elementId"] == .string("checkDocuments")
            && ($0["actor"] == .string("user:maryam") || $0["actor"] == .string("user:sara")) }, "\(trail)")
        #expect(try await cartable.call("GET", "/api/instances/\(UUID().uuidString.lowercased())", token: reza).status == 404)

        // The supervisor of the technicians hands the survey to Reza with a note; Reza may not
        // hand it to a clerk, and a clerk cannot read its comments.
        let note = #"{"assignee": "reza", "note": "The meter box is behind the gate; call the customer first."}"#
        #expect(try await cartable.call("POST", "/api/tasks/\(surveyId)/assign", token: ali, body: note).status == 200)
        let comments = try await cartable.call("GET", "/api/tasks/\(surveyId)/comments", token: reza)
        #expect(comments.json["comments"]?.arrayValue?.first?["author"] == .string("ali"))
        #expect(comments.json["comments"]?.arrayValue?.first?["text"] == .string("The meter box is behind the gate; call the customer first."))
        #expect(try await cartable.call("GET", "/api/tasks/\(surveyId)/comments", token: maryam).status == 404)
        let handed = try await cartable.call("POST", "/api/tasks/\(surveyId)/assign", token: reza, body: #"{"assignee": "maryam"}"#)
        #expect(handed.status == 409 && handed.json["error"] == .string("maryam may not take this task"))
        let unnamed = try await cartable.call("POST", "/api/tasks/\(surveyId)/assign", token: reza, body: #"{"who": "ali"}"#)
        #expect(unnamed.status == 422 && unnamed.json["field"] == .string("assignee") && unnamed.json["error"] == .string("is required"))

        // The same unclaim sent twice with one Idempotency-Key answers twice as the first time;
        // the key for another request is refused.
        let once = ["Idempotency-Key": "unclaim-\(surveyId)"]
        let firstUnclaim = try await cartable.call("POST", "/api/tasks/\(surveyId)/unclaim", token: reza, headers: once)
        let againUnclaim = try await cartable.call("POST", "/api/tasks/\(surveyId)/unclaim", token: reza, headers: once)
        #expect(firstUnclaim.status == 200 && againUnclaim.status == 200 && firstUnclaim.json == againUnclaim.json)
        #expect(try await cartable.call("POST", "/api/tasks/\(surveyId)/unclaim", token: reza).status == 409)
        let reused = try await cartable.call("POST", "/api/tasks/\(surveyId)/claim", token: reza, headers: once)
        #expect(reused.status == 422 && reused.json["field"] == .string("Idempotency-Key"))

        // The API describes itself, every route included (the gateway refuses to start otherwise).
        let document = try await cartable.call("GET", "/api/openapi.json")
        #expect(document.json["openapi"] == .string("3.1.0"))
        #expect(document.json["paths"]?["/api/tasks/{id}/claim"]?["post"]?["responses"]?["409"] != nil)

        // Signing out ends the session at once.
        #expect(try await cartable.call("DELETE", "/api/session", token: reza).status == 204)
        #expect(try await cartable.call("GET", "/api/tasks", token: reza).status == 401)
        await cartable.stop()
        await running.stop()
    }

    @Test func failedSignInsAreThrottledEvenForTheRightPassword() async throws {
        let running = try await start(models: [:])
        let cartable = try await startCartable(amqp: running.amqp)
        for _ in 0..<5 {
            #expect(try await cartable.call("POST", "/api/session", body: #"{"username": "reza", "password": "guess"}"#).status == 401)
        }
        let throttled = try await cartable.call("POST", "/api/session", body: #"{"username": "reza", "password": "reza-pass"}"#)
        #expect(throttled.status == 429)
        #expect(try await cartable.call("POST", "/api/session", body: #"{"username": "reza"}"#).status == 422)
        // Another user is not held back by Reza's failures.
        _ = try await cartable.signIn("maryam", "maryam-pass")
        await cartable.stop()
        await running.stop()
    }
}
