import Contracts
import ServiceKit

/// The API as an OpenAPI 3.1 document, served at `/api/openapi.json`. The gateway checks at
/// start-up that its routes and the document's operations are the same (`Gateway.checkDocumented`).
enum OpenAPI {
    struct Operation {
        var method: String
        /// As the router describes it: `/api/tasks/{id}`.
        var path: String
        var summary: String
        var request: String?
        var response: String?
        var errors: [Int]
        var success = 200
    }

    static let operations: [Operation] = [
        .init(method: "POST", path: "/api/session", summary: "Sign in: a bearer token, a CSRF token and the session cookie", request: "Credentials",
            response: "SignedIn", errors: [401, 422, 429]),
        .init(method: "DELETE", path: "/api/session", summary: "Sign out: the session ends at once", errors: [401]),
        .init(method: "GET", path: "/api/me", summary: "The signed-in employee and their groups", response: "Employee", errors: [401]),
        .init(method: "GET", path: "/api/openapi.json", summary: "This document", errors: []),
        .init(method: "GET", path: "/api/tasks", summary: "Open tasks the employee may see (view all, mine or unassigned; limit; after)",
            response: "Page", errors: [401, 422]),
        .init(method: "GET", path: "/api/tasks/{id}", summary: "One task", response: "Task", errors: [401, 404]),
        .init(method: "POST", path: "/api/tasks/{id}/claim", summary: "Claim an unassigned task one is a candidate for", response: "Task",
            errors: [401, 404, 409, 422]),
        .init(method: "POST", path: "/api/tasks/{id}/unclaim", summary: "Give one's task back to its candidates", response: "Task",
            errors: [401, 404, 409, 422]),
        .init(method: "POST", path: "/api/tasks/{id}/assign", summary: "Hand a task to another expert, with a note", request: "Handover",
            response: "Task", errors: [401, 404, 409, 422]),
        .init(method: "POST", path: "/api/tasks/{id}/complete", summary: "Complete one's task with the form's variables", request: "Completion",
            response: "Task", errors: [401, 404, 409, 422]),
        .init(method: "GET", path: "/api/instances/{id}", summary: "A process instance with its whole history, for whoever may see one of its tasks",
            response: "Instance", errors: [401, 404, 503]),
        .init(method: "GET", path: "/api/tasks/{id}/comments", summary: "A task's comments, oldest first", response: "Comments", errors: [401, 404]),
        .init(method: "POST", path: "/api/tasks/{id}/comments", summary: "Comment on a task", request: "NewComment", response: "Task",
            errors: [401, 404, 422]),
        .init(method: "GET", path: "/api/processes", summary: "The processes the employee may start, with their start forms", response: "Processes",
            errors: [401, 503]),
        .init(method: "POST", path: "/api/processes/{id}/start", summary: "Start a process with its start form's values", request: "Start",
            response: "Started", errors: [401, 404, 422, 503], success: 202),
        .init(method: "GET", path: "/api/customers", summary: "Customers by name, national id or company number, customer, subscription or service point number, meter serial, phone or address (q)",
            response: "Customers", errors: [401, 422, 503]),
        .init(method: "GET", path: "/api/customers/{id}", summary: "A customer's whole picture: details and their history, subscriptions, service points, meters, installation history and processes",
            response: "Customer", errors: [401, 404, 503]),
        .init(method: "GET", path: "/api/tariffs", summary: "The tariffs, each with its version in force today and its latest", response: "Tariffs", errors: [401, 503]),
        .init(method: "GET", path: "/api/tariffs/{code}", summary: "A tariff with every version's fees and the audit of who changed which fee when",
            response: "Tariff", errors: [401, 404, 503]),
        .init(method: "GET", path: "/api/subscriptions/{number}/account",
            summary: "A subscription's balance (due, overdue, held in disputes, credit, deposit), open bills and statement from..to (the last year), for the customer office",
            response: "Account", errors: [401, 404, 422, 503]),
        .init(method: "GET", path: "/api/debtors", summary: "Customers with amounts overdue, most first, with their ageing (finance); asOf, limit, offset",
            response: "Debtors", errors: [401, 404, 422, 503]),
        .init(method: "GET", path: "/api/bills/{id}", summary: "A bill as Billing issued it (readings, lines, balance carried, amount due) with the last twelve periods' consumption",
            response: "BillRecord", errors: [401, 404, 422, 503]),
        .init(method: "GET", path: "/api/subscriptions/{number}/bills", summary: "A subscription's bills, newest first", response: "BillList",
            errors: [401, 404, 422, 503]),
        .init(method: "GET", path: "/api/reports", summary: "The report subjects the employee may read (fields, dimensions, measures), the shipped reports and the saved ones (their own and their groups')",
            response: "ReportCatalog", errors: [401, 404]),
        .init(method: "POST", path: "/api/reports/run", summary: "Run a report: subject, dimensions, measures, filters, sort and limit; ?format=csv for CSV",
            request: "ReportDefinition", response: "ReportTable", errors: [401, 404, 422, 503]),
        .init(method: "GET", path: "/api/reports/shipped/{id}", summary: "Run a shipped report by its key (customers-by-region, debt-ageing…); ?format=csv for CSV",
            response: "ReportTable", errors: [401, 404, 422, 503]),
        .init(method: "POST", path: "/api/reports", summary: "Save a report with a title, shared with one of the employee's groups if asked (Idempotency-Key)",
            request: "NewReport", response: "SavedReport", errors: [401, 404, 422], success: 201),
        .init(method: "GET", path: "/api/reports/saved/{id}", summary: "Run a saved report: the saved report and its table; ?format=csv for CSV",
            response: "SavedTable", errors: [401, 404, 422, 503]),
        .init(method: "DELETE", path: "/api/reports/saved/{id}", summary: "Delete a saved report (its owner or an administrator)", errors: [401, 403, 404]),
        .init(method: "GET", path: "/api/admin/users", summary: "Every user with their groups (administrators)", response: "Users", errors: [401, 404]),
        .init(method: "POST", path: "/api/admin/users", summary: "Add a user (administrators)", request: "UserChange", errors: [401, 404, 409, 422],
            success: 201),
        .init(method: "POST", path: "/api/admin/users/{id}", summary: "Change a user: name, password, groups, or disable them, ending their sessions (administrators)",
            request: "UserChange", errors: [401, 404, 422], success: 204),
        .init(method: "GET", path: "/api/admin/groups", summary: "Every group with its number of members (administrators)", response: "Groups",
            errors: [401, 404]),
        .init(method: "POST", path: "/api/admin/groups", summary: "Add a group (administrators)", request: "NewGroup", errors: [401, 404, 409, 422],
            success: 201),
        .init(method: "GET", path: "/api/admin/incidents", summary: "Open incidents of every process (administrators)", response: "Incidents",
            errors: [401, 404, 503]),
        .init(method: "POST", path: "/api/admin/incidents/{id}/resolve", summary: "Retry the failed step of an incident (administrators)",
            request: "Resolution", errors: [401, 404, 422], success: 202),
    ]

    static var document: JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for operation in operations {
            let path = operation.path
            var responses: [String: JSONValue] = [:]
            let success = operation.method == "DELETE" ? "204" : operation.path == "/api/session" ? "201" : String(operation.success)
            responses[success] = .object([
                "description": .string(operation.summary),
                "content": operation.response.map { .object(["application/json": .object(["schema": ref($0)])]) } ?? nil,
            ].compactMapValues { $0 })
            for code in operation.errors {
                responses[String(code)] = .object([
                    "description": .string(errorMeaning[code] ?? "refused"),
                    "content": .object(["application/json": .object(["schema": ref("Problem")])]),
                ])
            }
            var entry: [String: JSONValue] = ["summary": .string(operation.summary), "responses": .object(responses)]
            if path.contains("{id}") {  // a task's, an instance's, a process's, a user's or an incident's id
                entry["parameters"] = .array([.object(["name": "id", "in": "path", "required": true, "schema": .object(["type": "string"])])])
            }
            if let request = operation.request {
                entry["requestBody"] = .object(["required": true, "content": .object(["application/json": .object(["schema": ref(request)])])])
            }
            if operation.method != "GET" || operation.path.hasPrefix("/api/tasks") {
                entry["security"] = operation.path == "/api/session" && operation.method == "POST" ? .array([]) : .array([.object(["bearer": .array([])])])
            }
            paths[path, default: [:]][operation.method.lowercased()] = .object(entry)
        }
        return .object([
            "openapi": "3.1.0",
            "info": .object(["title": "Utilis cartable", "version": .string(UtilisVersion.current)]),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": .object([
                "securitySchemes": .object(["bearer": .object(["type": "http", "scheme": "bearer"])]),
                "schemas": .object(schemas),
            ]),
        ])
    }

    static let errorMeaning = [
        401: "not signed in, or the session has ended", 403: "only the owner may do this", 404: "no such task, process, user or page, or one the employee may not see",
        409: "the task is not in a state for this (taken, not the employee's, ended), or the name is taken",
        422: "the body or a parameter does not fit; `field` names it (and `fields` each field of a form)",
        429: "too many failed sign-ins", 503: "the service asked (orchestrator, registration, ledger, billing, reports) did not answer in time",
    ]

    static func ref(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/\(name)")]) }

    static func object(_ properties: [String: JSONValue], required: [String]) -> JSONValue {
        .object(["type": "object", "properties": .object(properties), "required": .array(required.map(JSONValue.string))])
    }

    static let text: JSONValue = .object(["type": "string"])
    static let texts: JSONValue = .object(["type": "array", "items": text])
    static let optionalText: JSONValue = .object(["type": .array(["string", "null"])])
    static let integer: JSONValue = .object(["type": "integer"])
    static let boolean: JSONValue = .object(["type": "boolean"])
    /// A form in Camunda Forms JSON, or null.
    static let form: JSONValue = .object(["type": .array(["object", "null"])])

    static let schemas: [String: JSONValue] = [
        "Problem": object(["error": text, "field": text, "fields": .object(["type": "array", "items": object(["field": text, "error": text], required: ["field", "error"])])],
            required: ["error"]),
        "Credentials": object(["username": text, "password": text], required: ["username", "password"]),
        "Employee": object(["username": text, "displayName": text, "groups": texts, "supervises": texts], required: ["username", "displayName", "groups", "supervises"]),
        "SignedIn": object(["token": text, "csrfToken": text, "employee": ref("Employee")], required: ["token", "csrfToken", "employee"]),
        "Task": object([
            "id": text, "instanceId": text, "processId": text, "processName": optionalText, "version": .object(["type": "integer"]),
            "elementId": text, "name": optionalText, "businessKey": optionalText, "assignee": optionalText, "candidateUsers": texts,
            "candidateGroups": texts, "dueDate": optionalText, "followUpDate": optionalText, "priority": .object(["type": "integer"]),
            "formKey": optionalText, "form": form, "variables": .object(["type": "object"]),
            "status": .object(["enum": .array(["open", "completing", "completed", "cancelled"])]), "createdAt": text,
        ], required: ["id", "instanceId", "processId", "version", "elementId", "candidateUsers", "candidateGroups", "priority", "variables", "status", "createdAt"]),
        "Page": object(["tasks": .object(["type": "array", "items": ref("Task")]), "next": optionalText], required: ["tasks"]),
        "Handover": object(["assignee": text, "note": text], required: ["assignee"]),
        "Completion": object(["variables": .object(["type": "object"])], required: []),
        "NewComment": object(["text": text], required: ["text"]),
        "Instance": object([
            "summary": .object(["type": "object"]), "active": texts, "incidents": .object(["type": "array"]), "variables": .object(["type": "object"]),
            "history": .object(["type": "array", "items": object(
                ["elementId": text, "elementType": text, "event": text, "actor": text, "at": text, "variables": .object(["type": "object"])],
                required: ["elementId", "elementType", "event", "actor", "at"])]),
        ], required: ["summary", "active", "incidents", "variables", "history"]),
        "Processes": object(["processes": .object(["type": "array", "items": object(
            ["processId": text, "version": integer, "name": optionalText, "startForm": form], required: ["processId", "version"])])],
            required: ["processes"]),
        "Start": object(["businessKey": text, "variables": .object(["type": "object"])], required: []),
        "Started": object(["instanceId": text, "processId": text, "version": integer], required: ["instanceId", "processId", "version"]),
        "User": object(["username": text, "displayName": text, "active": boolean, "groups": texts, "supervises": texts],
            required: ["username", "displayName", "active", "groups", "supervises"]),
        "Users": object(["users": .object(["type": "array", "items": ref("User")])], required: ["users"]),
        "UserChange": object(["username": text, "displayName": text, "password": text, "active": boolean, "groups": texts, "supervises": texts], required: []),
        "Groups": object(["groups": .object(["type": "array", "items": object(["name": text, "title": text, "members": integer], required: ["name", "title", "members"])])],
            required: ["groups"]),
        "NewGroup": object(["name": text, "title": text], required: ["name", "title"]),
        "Incidents": object(["incidents": .object(["type": "array", "items": object(
            ["incidentId": text, "instanceId": text, "processId": text, "businessKey": optionalText, "elementId": text, "message": text, "startedAt": text],
            required: ["incidentId", "instanceId", "processId", "elementId", "message", "startedAt"])])], required: ["incidents"]),
        "Resolution": object(["retries": integer], required: []),
        "Customers": object(["customers": .object(["type": "array", "items": object(
            ["customerNumber": text, "kind": text, "name": text, "identifier": text, "city": text],
            required: ["customerNumber", "kind", "name", "identifier", "city"])])], required: ["customers"]),
        "Customer": object(["customerNumber": text, "customer": .object(["type": "object"]), "registeredAt": text,
            "history": .object(["type": "array"]), "subscriptions": .object(["type": "array"]), "connections": .object(["type": "array"]),
            "installations": .object(["type": "array"]), "processes": .object(["type": "array"])],
            required: ["customerNumber", "customer", "registeredAt", "history", "subscriptions", "connections", "installations"]),
        "Tariffs": object(["tariffs": .object(["type": "array", "items": object(
            ["tariff": .object(["type": "object"]), "versions": integer, "inForce": optionalText, "latest": text, "retiredFrom": optionalText],
            required: ["tariff", "versions", "latest"])])], required: ["tariffs"]),
        "Tariff": object(["tariff": .object(["type": "object"]), "versions": .object(["type": "array"]), "retiredFrom": optionalText, "audit": .object(["type": "array"])],
            required: ["tariff", "versions", "audit"]),
        "Account": object(
            ["subscriptionNumber": text, "balance": .object(["type": "object"]), "openItems": .object(["type": "array"]), "statement": .object(["type": "object"])],
            required: ["subscriptionNumber", "openItems", "statement"]),
        "Debtors": object(["asOf": text, "debtors": .object(["type": "array"])], required: ["asOf", "debtors"]),
        "BillRecord": object(["bill": .object(["type": "object"]), "history": .object(["type": "array"])], required: ["bill", "history"]),
        "BillList": object(["bills": .object(["type": "array"])], required: ["bills"]),
        "ReportDefinition": ReportDefinition.schema.document,
        "ReportTable": ReportTable.schema.document,
        "ReportCatalog": object(["subjects": .object(["type": "array", "items": object(
            ["name": text, "title": text, "rows": text, "fields": .object(["type": "array"]), "dimensions": texts, "measures": texts],
            required: ["name", "title", "rows", "fields", "dimensions", "measures"])]),
            "shipped": .object(["type": "array", "items": object(["key": text, "title": text, "report": ref("ReportDefinition")], required: ["key", "title", "report"])]),
            "saved": .object(["type": "array", "items": ref("SavedReport")])], required: ["subjects", "shipped", "saved"]),
        "NewReport": object(["title": text, "report": ref("ReportDefinition"), "sharedWith": optionalText], required: ["title", "report"]),
        "SavedReport": object(["id": text, "title": text, "owner": text, "sharedWith": optionalText, "report": ref("ReportDefinition"), "createdAt": text],
            required: ["id", "title", "owner", "report", "createdAt"]),
        "SavedTable": object(["saved": ref("SavedReport"), "table": ref("ReportTable")], required: ["saved", "table"]),
        "Comments": object(["comments": .object(["type": "array", "items": object(["author": text, "text": text, "at": text], required: ["author", "text", "at"])])],
            required: ["comments"]),
    ]
}
