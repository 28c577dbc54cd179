/// The read model's tables of facts as the projection writes them: each column's SQL type,
/// so that a batch's rows go in as arrays of text, one statement per table.
public struct FactTable: Sendable, Hashable {
    public let name: String
    public let key: [String]
    public let types: [String: String]

    public static let customers = FactTable(
        name: "customers", key: ["customer_number"],
        types: ["customer_number": "text", "kind": "text", "city": "text", "country": "text", "language": "text", "registered_on": "date"])
    public static let subscriptions = FactTable(
        name: "subscriptions", key: ["subscription_number"],
        types: [
            "subscription_number": "text", "customer_number": "text", "service_point_number": "text", "utility": "text", "region": "text",
            "use_type": "text", "tariff_code": "text", "billing_cycle": "text", "start_date": "date", "status": "text", "status_since": "date",
        ])
    public static let meters = FactTable(
        name: "meters", key: ["manufacturer", "serial_number"],
        types: [
            "manufacturer": "text", "serial_number": "text", "utility": "text", "model": "text", "year_of_manufacture": "int",
            "next_test_due": "date", "status": "text", "subscription_number": "text", "service_point_number": "text",
            "last_tested_on": "date", "last_test_passed": "bool",
        ])
    public static let bills = FactTable(
        name: "bills", key: ["bill_id"],
        types: [
            "bill_id": "text", "kind": "text", "status": "text", "subscription_number": "text", "customer_number": "text", "utility": "text",
            "region": "text", "tariff_code": "text", "period_from": "date", "period_to": "date", "issued_on": "date", "due_on": "date",
            "currency": "text", "charges": "bigint", "amount_due": "bigint", "consumption": "float8", "estimated": "bool",
        ])
    public static let payments = FactTable(
        name: "payments", key: ["payment_id"],
        types: [
            "payment_id": "text", "subscription_number": "text", "customer_number": "text", "channel": "text", "currency": "text", "amount": "bigint",
            "credited": "bigint", "value_date": "date", "received_at": "timestamptz",
        ])
    public static let balances = FactTable(
        name: "balances", key: ["subscription_number"],
        types: [
            "subscription_number": "text", "customer_number": "text", "currency": "text", "due": "bigint", "overdue": "bigint", "held": "bigint",
            "credit": "bigint", "deposit": "bigint", "as_of": "date",
        ])
    public static let disputes = FactTable(
        name: "disputes", key: ["dispute_id"],
        types: [
            "dispute_id": "text", "subscription_number": "text", "bill_id": "text", "currency": "text", "amount": "bigint", "status": "text",
            "accepted": "bigint", "opened_on": "date", "resolved_on": "date",
        ])
    public static let processes = FactTable(
        name: "processes", key: ["instance_id"],
        types: [
            "instance_id": "text", "process_id": "text", "process_name": "text", "version": "int", "business_key": "text", "started_by": "text",
            "status": "text", "started_at": "timestamptz", "ended_at": "timestamptz",
        ])
    public static let tasks = FactTable(
        name: "tasks", key: ["task_id"],
        types: [
            "task_id": "text", "instance_id": "text", "process_id": "text", "process_name": "text", "step": "text", "step_name": "text",
            "group_name": "text", "assignee": "text", "status": "text", "created_at": "timestamptz", "due_at": "timestamptz",
            "ended_at": "timestamptz", "ended_by": "text",
        ])
    public static let readingChecks = FactTable(
        name: "reading_checks", key: ["message_id"],
        types: ["message_id": "text", "checked_at": "timestamptz", "stored": "int", "duplicates": "int", "flagged": "int", "refused": "int"])

    /// In the order a batch writes them: what others are looked up in first.
    public static let all: [FactTable] = [customers, subscriptions, meters, processes, tasks, bills, payments, balances, disputes, readingChecks]
}

/// What a batch of events changes in the read model: for each table, each row's columns as
/// the last event left them (a later event of the same row overrides an earlier one's columns),
/// and the sums paid against bills, which add up.
public struct FactChanges: Sendable {
    public struct Rows: Sendable {
        /// Keys in the order first seen.
        public private(set) var keys: [String] = []
        public private(set) var columns: [String: [String: String?]] = [:]

        mutating func merge(_ key: String, _ values: [String: String?]) {
            if columns[key] == nil {
                keys.append(key)
                columns[key] = values
            } else {
                columns[key]!.merge(values) { $1 }
            }
        }
    }

    public private(set) var tables: [String: Rows] = [:]
    /// Bill id and amount, as payments settled them.
    public private(set) var settlements: [(billId: String, amount: Int)] = []

    public init() {}

    public var isEmpty: Bool { tables.isEmpty && settlements.isEmpty }

    public func rows(of table: FactTable) -> Rows? { tables[table.name] }

    mutating func set(_ table: FactTable, _ values: [String: String?]) {
        let key = table.key.map { (values[$0] ?? nil) ?? "" }.joined(separator: "\u{1}")
        tables[table.name, default: Rows()].merge(key, values)
    }

    mutating func settle(_ billId: String, _ amount: Int) { settlements.append((billId, amount)) }
}
