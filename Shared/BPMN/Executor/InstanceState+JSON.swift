import Contracts

/// The stored form of an instance state, written and read by hand through `JSONValue` (the
/// keys are those Codable would use, so states stored by either read the same): the orchestrator
/// reads and writes it on every step.
extension InstanceState {
    /// Compact JSON with sorted keys: the same state always gives the same bytes, so a store
    /// can tell a real change from a rewrite.
    public func jsonBytes() throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        json.write(to: &bytes)
        return bytes
    }

    public static func fromJSON(_ bytes: [UInt8]) throws -> InstanceState {
        try InstanceState(json: JSONValue.parse(bytes))
    }

    var json: JSONValue {
        .object([
            "models": .array(models.map { .object(["processId": .string($0.processId), "version": .int($0.version)]) }),
            "status": .string(status.rawValue),
            "nextKey": .int(nextKey),
            "elements": .array(elements.values.map(\.json)),
            "subscriptions": .array(subscriptions.keys.sorted().map { subscriptions[$0]!.json }),
            "joins": .array(joins.map {
                .object(["scope": .int($0.scope), "gateway": .string($0.gateway), "model": .int($0.model), "flows": .array($0.flows.map(JSONValue.string))])
            }),
            "incidents": .array(incidents.keys.sorted().map { key in
                let incident = incidents[key]!
                return .object([
                    "key": .int(incident.key), "element": .int(incident.element), "elementId": .string(incident.elementId),
                    "message": .string(incident.message), "isJob": .bool(incident.isJob),
                ])
            }),
        ])
    }

    init(json: JSONValue) throws {
        let state = try StoredObject(json, "state")
        models = try state.array("models").map { let model = try StoredObject($0, "models"); return ModelReference(processId: try model.string("processId"), version: try model.int("version")) }
        guard let status = Status(rawValue: try state.string("status")) else { throw StoredObject.Malformed("state.status") }
        self.status = status
        nextKey = try state.int("nextKey")
        elements = ElementTable(try state.array("elements").map(ElementInstance.init(json:)))
        subscriptions = Dictionary(uniqueKeysWithValues: try state.array("subscriptions").map(Subscription.init(json:)).map { ($0.key, $0) })
        joins = try state.array("joins").map {
            let join = try StoredObject($0, "joins")
            return JoinArrival(scope: try join.int("scope"), gateway: try join.string("gateway"), model: try join.int("model"),
                flows: try join.array("flows").map { guard case .string(let flow) = $0 else { throw StoredObject.Malformed("joins.flows") }; return flow })
        }
        incidents = Dictionary(uniqueKeysWithValues: try state.array("incidents").map {
            let incident = try StoredObject($0, "incidents")
            return Incident(key: try incident.int("key"), element: try incident.int("element"), elementId: try incident.string("elementId"),
                message: try incident.string("message"), isJob: try incident.bool("isJob"))
        }.map { ($0.key, $0) })
    }
}

extension ElementInstance {
    var json: JSONValue {
        var entries: [String: JSONValue] = [
            "key": .int(key), "elementId": .string(elementId), "node": .int(node), "scope": .int(scope), "model": .int(model),
            "variables": .object(variables),
        ]
        if let wait { entries["wait"] = .string(wait.rawValue) }
        if let multiInstance {
            entries["multiInstance"] = .object([
                "items": .array(multiInstance.items), "started": .int(multiInstance.started), "completed": .int(multiInstance.completed),
                "results": .array(multiInstance.results),
            ])
        }
        if let retries { entries["retries"] = .int(retries) }
        if let calledModel { entries["calledModel"] = .int(calledModel) }
        if let inner { entries["inner"] = .bool(inner) }
        return .object(entries)
    }

    init(json: JSONValue) throws {
        let element = try StoredObject(json, "elements")
        key = try element.int("key")
        elementId = try element.string("elementId")
        node = try element.int("node")
        scope = try element.int("scope")
        model = try element.int("model")
        variables = try element.object("variables")
        if let text = try element.optionalString("wait") {
            guard let wait = Wait(rawValue: text) else { throw StoredObject.Malformed("elements.wait") }
            self.wait = wait
        }
        if let progress = element["multiInstance"] {
            let body = try StoredObject(progress, "elements.multiInstance")
            multiInstance = MultiInstanceProgress(
                items: try body.array("items"), started: try body.int("started"), completed: try body.int("completed"), results: try body.array("results"))
        }
        retries = try element.optionalInt("retries")
        calledModel = try element.optionalInt("calledModel")
        if let flag = element["inner"] { guard case .bool(let value) = flag else { throw StoredObject.Malformed("elements.inner") }; inner = value }
    }
}

extension Subscription {
    var json: JSONValue {
        var entries: [String: JSONValue] = [
            "key": .int(key), "kind": .string(kind.rawValue), "owner": .int(owner), "eventId": .string(eventId), "model": .int(model),
        ]
        if let name { entries["name"] = .string(name) }
        if let correlationKey { entries["correlationKey"] = .string(correlationKey) }
        if let dueAt { entries["dueAt"] = .number(dueAt) }
        if let interval { entries["interval"] = .number(interval) }
        if let repetitionsLeft { entries["repetitionsLeft"] = .int(repetitionsLeft) }
        return .object(entries)
    }

    init(json: JSONValue) throws {
        let subscription = try StoredObject(json, "subscriptions")
        guard let kind = Kind(rawValue: try subscription.string("kind")) else { throw StoredObject.Malformed("subscriptions.kind") }
        self.init(
            key: try subscription.int("key"), kind: kind, owner: try subscription.int("owner"), eventId: try subscription.string("eventId"),
            model: try subscription.int("model"), name: try subscription.optionalString("name"),
            correlationKey: try subscription.optionalString("correlationKey"), dueAt: try subscription.optionalNumber("dueAt"),
            interval: try subscription.optionalNumber("interval"), repetitionsLeft: try subscription.optionalInt("repetitionsLeft"))
    }
}

extension JSONValue {
    static func int(_ value: Int) -> JSONValue { .number(Double(value)) }
}

/// Fields of a stored object; a missing or mistyped one is named in the error.
struct StoredObject {
    struct Malformed: Error, CustomStringConvertible {
        let field: String
        init(_ field: String) { self.field = field }
        var description: String { "the stored instance state has no valid \(field)" }
    }

    let entries: [String: JSONValue]
    let path: String

    init(_ value: JSONValue, _ path: String) throws {
        guard case .object(let entries) = value else { throw Malformed(path) }
        (self.entries, self.path) = (entries, path)
    }

    subscript(key: String) -> JSONValue? {
        if let value = entries[key], value != .null { return value }
        return nil
    }

    func string(_ key: String) throws -> String {
        guard case .string(let value)? = entries[key] else { throw Malformed("\(path).\(key)") }
        return value
    }

    func int(_ key: String) throws -> Int {
        guard case .number(let value)? = entries[key], let whole = Int(exactly: value) else { throw Malformed("\(path).\(key)") }
        return whole
    }

    func bool(_ key: String) throws -> Bool {
        guard case .bool(let value)? = entries[key] else { throw Malformed("\(path).\(key)") }
        return value
    }

    func array(_ key: String) throws -> [JSONValue] {
        guard case .array(let value)? = entries[key] else { throw Malformed("\(path).\(key)") }
        return value
    }

    func object(_ key: String) throws -> [String: JSONValue] {
        guard case .object(let value)? = entries[key] else { throw Malformed("\(path).\(key)") }
        return value
    }

    func optionalString(_ key: String) throws -> String? { self[key] == nil ? nil : try string(key) }
    func optionalInt(_ key: String) throws -> Int? { self[key] == nil ? nil : try int(key) }
    func optionalNumber(_ key: String) throws -> Double? {
        guard let value = self[key] else { return nil }
        guard case .number(let number) = value else { throw Malformed("\(path).\(key)") }
        return number
    }
}
