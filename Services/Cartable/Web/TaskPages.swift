import Contracts
import Forms
import Foundation
import Hummingbird
import Ledger
import Postgres
import ServiceKit

/// A task's page: its facts, the customer it concerns, its form, hand-over, comments and the
/// process diagram; and the posts that claim, give back, complete, hand over and comment.
extension Pages {
    func addTask(to router: Router<BasicRequestContext>) {
        router.get("tasks/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await page(request) { employee, csrf, db in
                let notice = request.uri.queryParameters["done"].flatMap { Self.notices[String($0)] }
                return try await taskPage(id, employee: employee, csrf: csrf, db: db, notice: notice)
            }
        }
        for action in ["claim", "unclaim", "complete", "assign", "comments"] {
            router.post("tasks/:id/\(action)") { request, context in
                let id = try context.parameters.require("id")
                return try await post(request) { employee, csrf, fields, db in
                    try await perform(action, on: id, fields: fields, employee: employee, csrf: csrf, db: db)
                }
            }
        }
    }

    static let notices = [
        "claim": "The task is yours now.", "unclaim": "The task is back with its candidates.",
        "complete": "Done: the task went to the next step of the process.", "assign": "The task was handed over.", "comments": "Your comment was added.",
    ]

    private func perform(_ action: String, on id: String, fields: FormBody, employee: Employee, csrf: String, db: PostgresConnection) async throws -> Response {
        let result: Result<TaskActions.Result, Refused> = try await db.transaction { db in
            let result: TaskActions.Result
            switch action {
            case "claim": result = try await TaskActions.claim(id, by: employee, on: db)
            case "unclaim": result = try await TaskActions.unclaim(id, by: employee, on: db)
            case "assign":
                guard let assignee = fields.first("assignee"), !assignee.isEmpty else { return .failure(Refused("Choose whom to hand the task to.")) }
                result = try await TaskActions.assign(id, to: assignee, note: fields.first("note"), by: employee, on: db)
            case "comments":
                let text = (fields.first("text") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                guard (1...4000).contains(text.count) else { return .failure(Refused("A comment is 1 to 4000 characters.")) }
                result = try await TaskActions.comment(id, text, by: employee, on: db)
            default:
                guard let (task, form) = try await Inbox.taskWithForm(id, for: employee, on: db) else { return .success((.notFound, nil)) }
                let variables = task.variableEntries
                let values = form?.values(fromPost: fields.singles, variables: variables) ?? [:]
                result = try await TaskActions.complete(id, with: values, by: employee, on: db)
            }
            try await TaskActions.send(result.1, after: result.0, by: employee, on: db)
            return .success(result)
        }
        switch result {
        case .failure(let refused):
            return try await taskPage(id, employee: employee, csrf: csrf, db: db, error: refused.message, status: .unprocessableContent)
        case .success((.done, _)):
            // After completing, the task is no longer the employee's to work on: back to the inbox.
            return Response.redirect(to: action == "complete" ? "/inbox?done=complete" : "/tasks/\(id)?done=\(action)")
        case .success((.notFound, _)):
            return problemPage(.notFound, "No such task", "There is no such task, or it is not one of yours.", employee: employee, csrf: csrf)
        case .success((.conflict(let reason), _)):
            return try await taskPage(id, employee: employee, csrf: csrf, db: db, error: "Not done: \(reason).", status: .conflict)
        case .success((.invalid(let problems), _)):
            return try await taskPage(id, employee: employee, csrf: csrf, db: db, posted: fields, problems: problems, status: .unprocessableContent)
        }
    }

    struct Refused: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    func taskPage(
        _ id: String, employee: Employee, csrf: String, db: PostgresConnection, notice: String? = nil, error: String? = nil,
        posted: FormBody? = nil, problems: Form.Problems? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let (task, form) = try await Inbox.taskWithForm(id, for: employee, on: db) else {
            return problemPage(.notFound, "No such task", "There is no such task, or it is not one of yours.", employee: employee, csrf: csrf)
        }
        let variables = task.variableEntries
        let isOpen = task.status == "open"
        let mine = task.assignee == employee.username
        let candidate = task.candidateUsers.contains(employee.username) || !Set(task.candidateGroups).isDisjoint(with: employee.groups)
        let supervisor = !Set(task.candidateGroups).isDisjoint(with: employee.supervises)
        var values = base(employee, csrf: csrf, title: task.name ?? task.elementId, nav: "inbox")
        values["notice"] = notice
        values["error"] = error
        var facts: [String: Any] = [
            "id": task.id, "instanceId": task.instanceId, "name": task.name ?? task.elementId, "processName": task.processName ?? task.processId,
            "version": task.version, "status": task.status, "priority": task.priority,
        ]
        facts["businessKey"] = task.businessKey
        facts["assignee"] = task.assignee
        facts["due"] = task.dueDate.map(Self.shortTime)
        values["task"] = facts
        values["candidates"] = (task.candidateGroups + task.candidateUsers).joined(separator: ", ")
        values["mayClaim"] = isOpen && task.assignee == nil && candidate
        values["mayUnclaim"] = isOpen && mine
        values["mayComplete"] = isOpen && mine
        values["mayHandOver"] = isOpen && (mine || supervisor)
        let shown = posted.map { form?.values(fromPost: $0.singles, variables: variables) ?? [:] } ?? variables
        values["fields"] = FormView.fields(form, values: shown, problems: problems?.all ?? [], locked: !(isOpen && mine), variables: variables)
        values["hasFields"] = !(form?.inputs.isEmpty ?? true)
        values["formProblems"] = problems.map { FormView.summary($0, of: form) }
        let customer = Self.customerFacts(variables)
        values["customer"] = customer
        values["hasCustomer"] = !customer.isEmpty
        values["customerNumber"] = variables["customerNumber"]?.stringValue
        if let subscription = variables["subscriptionNumber"]?.stringValue, AccountRoutes.mayRead(employee) {
            values["account"] = await Self.accountPanel(subscription, bill: variables["billId"]?.stringValue, environment: environment)
        }
        values["comments"] = try await Comments.of(id, on: db).map { ["author": $0.author, "text": $0.text, "at": Self.shortTime($0.at)] }
        if isOpen && (mine || supervisor) {
            values["colleagues"] = try await db.query(
                """
                SELECT u.username, u.display_name FROM users u
                WHERE u.active AND u.username <> $3 AND (u.username = ANY ($1::text[])
                    OR EXISTS (SELECT 1 FROM memberships m WHERE m.username = u.username AND m.group_name = ANY ($2::text[])))
                ORDER BY u.display_name
                """, [task.candidateUsers, task.candidateGroups, employee.username]
            ).map { ["username": try $0.decode(String.self, 0), "displayName": try $0.decode(String.self, 1)] }
        }
        let instance = try? await environment.requests.ask(GetInstance(instanceId: task.instanceId), timeout: .seconds(3))
        values["diagram"] = await diagrams.svg(processId: task.processId, version: task.version, instance: instance, environment: environment)
        return render("task", values, status: status)
    }

    /// The subscription's account beside the task (a dispute's investigation is done on it): the
    /// balance, the open bills with the one the task is about marked, the year's statement.
    static func accountPanel(_ subscription: String, bill: String?, environment: ServiceEnvironment) async -> [String: Any] {
        let to = LedgerDate.today
        guard let account = try? await AccountRoutes.account(subscription, from: LedgerDate.yearBefore(to), to: to, environment) else {
            return ["subscriptionNumber": subscription, "unavailable": true]
        }
        var panel: [String: Any] = ["subscriptionNumber": subscription, "from": account.statement.from, "to": account.statement.to]
        if let balance = account.balance {
            panel["balance"] = [
                "currency": balance.currency, "due": Self.amount(balance.due), "overdue": Self.amount(balance.overdue), "held": Self.amount(balance.held),
                "credit": Self.amount(balance.credit), "deposit": Self.amount(balance.deposit),
            ]
        }
        panel["items"] = account.openItems.map { item -> [String: Any] in
            var row: [String: Any] = ["billId": item.billId, "issueDate": item.issueDate, "dueDate": item.dueDate, "thisBill": item.billId == bill]
            row["amount"] = Self.amount(item.amount)
            row["open"] = Self.amount(item.open)
            row["held"] = Self.amount(item.held)
            return row
        }
        panel["hasItems"] = !account.openItems.isEmpty
        panel["opening"] = Self.amount(account.statement.opening)
        panel["closing"] = Self.amount(account.statement.closing)
        panel["lines"] = account.statement.lines.map { line -> [String: Any] in
            var row: [String: Any] = ["valueDate": line.valueDate, "memo": line.memo, "balance": Self.amount(line.balance)]
            row["debit"] = line.debit == 0 ? "" : Self.amount(line.debit)
            row["credit"] = line.credit == 0 ? "" : Self.amount(line.credit)
            row["held"] = line.held == 0 ? "" : Self.amount(line.held)
            row["thisBill"] = bill.map { line.entryId == "bill:\($0)" } ?? false
            return row
        }
        return panel
    }

    /// 1375000 → `1,375,000`.
    static func amount(_ value: Int) -> String {
        let digits = String(abs(value))
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// The variables that say who the customer is, in a fixed order, labelled in words. The
    /// customer's own record is Registration's; these are what the process was given.
    static let customerKeys = [
        "customerNumber", "customerId", "customerName", "applicantName", "nationalId", "companyRegistrationNumber", "subscriptionNumber", "phone", "email", "address",
        "utility", "useType",
    ]

    static func customerFacts(_ variables: [String: JSONValue]) -> [[String: String]] {
        customerKeys.compactMap { key in
            guard let value = variables[key], value != .null else { return nil }
            return ["label": words(key), "value": value.displayText]
        }
    }

    /// `nationalId` → `National id`.
    static func words(_ key: String) -> String {
        var out = ""
        for character in key {
            if character.isUppercase, !out.isEmpty { out += " " + character.lowercased() } else { out.append(character) }
        }
        return out.prefix(1).uppercased() + out.dropFirst()
    }
}
