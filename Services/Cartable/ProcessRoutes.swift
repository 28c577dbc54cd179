import Contracts
import Forms
import Foundation
import Hummingbird
import Messaging
import Postgres
import ServiceKit

/// `/api/processes`: the processes an employee may start, with their start forms, and starting
/// one. The orchestrator knows the models; the cartable checks the start form and sends the
/// start through its outbox, so an accepted start is never lost.
enum ProcessRoutes {
    static func add(to api: RouterGroup<some RequestContext>, environment: ServiceEnvironment) {
        api.get("processes") { request, context in
            try await Gateway.signedIn(request, context, environment) { employee, _, _ in
                let processes = try await startable(by: employee, environment)
                return Gateway.raw(.ok, JSONValue.object(["processes": .array(processes.map(json))]).canonicalJSON)
            }
        }
        api.post("processes/:id/start") { request, context in
            let id = try context.parameters.require("id")
            let start = try await Gateway.body(Start.self, of: request, context)
            return try await Gateway.signedIn(request, context, environment) { employee, _, db in
                guard let process = try await startable(by: employee, environment).first(where: { $0.processId == id }) else {
                    return Gateway.problem(.notFound, "no such process, or not one you may start")
                }
                return try await db.transaction { db in
                    try await Idempotency.run(request, for: employee.username, on: db) {
                        switch try await self.start(process, start, by: employee, on: db) {
                        case .failure(let problems): return (.unprocessableContent, Gateway.problemBody(problems))
                        case .success(let instanceId):
                            return (.accepted, JSONValue.object([
                                "instanceId": .string(instanceId), "processId": .string(process.processId), "version": .number(Double(process.version)),
                            ]).canonicalJSON)
                        }
                    }
                }
            }
        }
    }

    struct Start: Decodable {
        var businessKey: String?
        var variables: [String: JSONValue]?
    }

    /// Asked of the orchestrator on each call: a model deployed a moment ago is offered at once.
    static func startable(by employee: Employee, _ environment: ServiceEnvironment) async throws -> [StartableProcesses.Process] {
        do {
            return try await environment.requests.ask(ListStartableProcesses(username: employee.username, groups: employee.groups), timeout: .seconds(5))
                .processes
        } catch {
            throw Gateway.Refusal(status: .serviceUnavailable, message: "the orchestrator did not answer: \(error)", field: nil)
        }
    }

    /// Checks the start form and puts the start in the outbox; the instance's id is the
    /// command's message id, as the orchestrator makes it.
    static func start(
        _ process: StartableProcesses.Process, _ start: Start, by employee: Employee, on db: PostgresConnection
    ) async throws -> Result<String, Form.Problems> {
        var variables = start.variables ?? [:]
        if let startForm = process.startForm {
            let form: Form
            do { form = try Form(json: startForm) } catch { throw CartableError("the start form of \(process.processId) cannot be read: \(error)") }
            switch form.validate(variables) {
            case .failure(let problems): return .failure(problems)
            case .success(let values): variables = values
            }
        }
        if let key = start.businessKey, key.count > 200 { return .failure(Form.Problems([Form.Problem("businessKey", "must be at most 200 characters")])) }
        // A process for a customer is found under their number unless the clerk gave another key.
        var businessKey = start.businessKey.flatMap { $0.isEmpty ? nil : $0 }
        if businessKey == nil, case .string(let customer)? = variables["customerNumber"] { businessKey = customer }
        let message = try OutgoingMessage.contract(
            StartProcess(processId: process.processId, version: process.version, businessKey: businessKey, variables: variables),
            actor: "user:\(employee.username)")
        try await Outbox.insert([message], on: db)
        try await db.query(
            "INSERT INTO started_instances (instance_id, username, process_id) VALUES ($1, $2, $3)",
            [message.envelope.messageId, employee.username, process.processId])
        return .success(message.envelope.messageId.lowercasedText)
    }

    static func json(_ process: StartableProcesses.Process) -> JSONValue {
        .object([
            "processId": .string(process.processId), "version": .number(Double(process.version)),
            "name": process.name.map(JSONValue.string) ?? .null, "startForm": process.startForm ?? .null,
        ])
    }
}
