import BPMN
import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit

/// The orchestrator's queries: one instance with its audit trail, lists of instances, the
/// processes an employee may start, and a version's XML for its diagram.
enum Queries {
    static func handlers(_ environment: ServiceEnvironment, cache: ModelCache) -> [String: QueryResponder.Handler] {
        [
            ListStartableProcesses.type: { message in
                let query = try message.decode(ListStartableProcesses.self)
                return try await environment.database.withConnection { db in
                    try JSONBody.encode(StartableProcesses(processes: try await startable(by: query, cache: cache, on: db)))
                }
            },
            GetProcessDefinition.type: { message in
                let query = try message.decode(GetProcessDefinition.self)
                return try await environment.database.withConnection { db in
                    let rows = try await db.query(
                        "SELECT name, xml FROM definitions WHERE process_id = $1 AND version = $2", [query.processId, query.version])
                    guard let row = rows.first else { throw MessageRejected(field: "processId", "no version \(query.version) of \(query.processId)") }
                    return try JSONBody.encode(
                        ProcessDefinition(processId: query.processId, version: query.version, name: try row.decode(String?.self, 0), xml: try row.decode(String.self, 1)))
                }
            },
            GetInstance.type: { message in
                let query = try message.decode(GetInstance.self)
                let id = try Instances.instance(query.instanceId)
                return try await environment.database.withConnection { db in try JSONBody.encode(try await details(id, on: db)) }
            },
            FindInstances.type: { message in
                let query = try message.decode(FindInstances.self)
                return try await environment.database.withConnection { db in try JSONBody.encode(try await find(query, on: db)) }
            },
        ]
    }

    /// The latest versions with a none start event that name the user or one of their groups
    /// as a candidate starter.
    static func startable(by query: ListStartableProcesses, cache: ModelCache, on db: PostgresConnection) async throws -> [StartableProcesses.Process] {
        try await cache.latest(on: db).compactMap { id, version, model in
            guard model.candidateStarterUsers.contains(query.username) || !Set(model.candidateStarterGroups).isDisjoint(with: query.groups),
                let start = model.startEvents.lazy.compactMap({ model.nodes[$0] }).first(where: isStartedByHand)
            else { return nil }
            return StartableProcesses.Process(processId: id, version: version, name: model.name, startForm: start.startForm?.json)
        }
    }

    /// A none start event: not one that a message, signal or timer starts.
    static func isStartedByHand(_ node: FlowNode) -> Bool {
        switch node.trigger {
        case .message?, .signal?, .timer?: false
        default: true
        }
    }

    static let summaryColumns = """
        id::text, process_id, version, business_key,
        CASE WHEN status = 'active' AND open_incidents > 0 THEN 'incident' ELSE status END,
        \(Deployment.utc("started_at")), \(Deployment.utc("ended_at"))
        """

    static func summary(_ row: PostgresRow) throws -> InstanceSummary {
        InstanceSummary(
            instanceId: try row.decode(String.self, 0), processId: try row.decode(String.self, 1), version: try row.decode(Int.self, 2),
            businessKey: try row.decode(String?.self, 3), status: try row.decode(String.self, 4), startedAt: try row.decode(String.self, 5),
            endedAt: try row.decode(String?.self, 6))
    }

    static func details(_ id: UUID, on db: PostgresConnection) async throws -> InstanceDetails {
        let rows = try await db.query("SELECT \(summaryColumns), state FROM instances WHERE id = $1", [id])
        guard let row = rows.first else { throw MessageRejected(field: "instanceId", "no process instance \(id.lowercasedText)") }
        let state = try InstanceState.fromJSON(Array(try row.decode(String.self, 7).utf8))
        let history = try await db.query(
            """
            SELECT element_id, element_type, event, actor, \(Deployment.utc("at")), variables::text FROM history
            WHERE instance_id = $1 ORDER BY seq
            """, [id])
        return InstanceDetails(
            summary: try summary(row), active: state.activeElementIds,
            incidents: state.incidents.values.sorted { $0.key < $1.key }.map {
                InstanceDetails.OpenIncident(incidentId: "\(id.lowercasedText):\($0.key)", elementId: $0.elementId, message: $0.message)
            },
            variables: state.variables,
            history: try history.map { step in
                var variables: [String: JSONValue]?
                if let text = try step.decode(String?.self, 5), case .object(let object) = try JSONValue.parse(Array(text.utf8)) { variables = object }
                return InstanceDetails.Step(
                    elementId: try step.decode(String.self, 0), elementType: try step.decode(String.self, 1), event: try step.decode(String.self, 2),
                    actor: try step.decode(String.self, 3), at: try step.decode(String.self, 4), variables: variables)
            })
    }

    static func find(_ query: FindInstances, on db: PostgresConnection) async throws -> InstanceList {
        let limit = min(max(query.limit ?? 100, 1), 1000)
        let rows = try await db.query(
            """
            SELECT \(summaryColumns) FROM instances
            WHERE ($1::text IS NULL OR business_key = $1) AND ($2::text IS NULL OR process_id = $2)
              AND ($3::text IS NULL OR (CASE WHEN status = 'active' AND open_incidents > 0 THEN 'incident' ELSE status END) = $3
                   OR ($3 = 'active' AND status = 'active'))
            ORDER BY started_at DESC, id LIMIT $4
            """, [query.businessKey, query.processId, query.status, limit])
        return InstanceList(instances: try rows.map(summary))
    }
}
