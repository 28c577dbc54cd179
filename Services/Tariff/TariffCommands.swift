import Contracts
import Foundation
import Messaging
import Postgres
import Pricing

/// Creating a tariff, publishing a version, retiring: each checked whole before it writes (a
/// refusal leaves nothing), recorded in the audit with who and why, and announced. A command
/// sent again with the same content is already done; with other content it is refused.
enum TariffCommands {
    enum Outcome {
        case done([OutgoingMessage])
        case refused([FieldProblem])
    }

    typealias Handler = @Sendable (InboundMessage, PostgresConnection, String) async throws -> Outcome

    static let handlers: [String: Handler] = [
        CreateTariff.routingKey: { message, db, actor in try await create(try message.decode(CreateTariff.self), message, db, actor) },
        PublishTariffVersion.routingKey: { message, db, actor in try await publish(try message.decode(PublishTariffVersion.self), message, db, actor) },
        RetireTariff.routingKey: { message, db, actor in try await retire(try message.decode(RetireTariff.self), message, db, actor) },
    ]

    @Sendable static func handle(_ message: InboundMessage, _ context: MessageContext) async throws {
        let routingKey = message.envelope.type.split(separator: ".").prefix(2).joined(separator: ".")
        guard let handler = handlers[routingKey], message.envelope.type == "\(routingKey).v1" else {
            throw MessageRejected(field: "type", "tariff takes no \(message.envelope.type)")
        }
        switch try await handler(message, context.database, message.envelope.actor ?? "unknown") {
        case .done(let events): events.forEach(context.send)
        case .refused(let problems):
            context.send(try .contract(TariffCommandRefused(command: message.envelope.type, problems: problems), causedBy: message))
        }
    }

    static func reasonProblems(_ reason: String) -> [FieldProblem] {
        reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? [FieldProblem("reason", "say why: the audit keeps it")] : []
    }

    static func create(_ command: CreateTariff, _ message: InboundMessage, _ db: PostgresConnection, _ actor: String) async throws -> Outcome {
        let problems = command.tariff.problems.prefixed("tariff") + command.firstVersion.problems.prefixed("firstVersion") + reasonProblems(command.reason)
        guard problems.isEmpty else { return .refused(problems) }
        let inserted = try await db.query(
            "INSERT INTO tariffs (code, utility, tariff) VALUES ($1, $2, $3::jsonb) ON CONFLICT (code) DO NOTHING RETURNING code",
            [command.tariff.code, command.tariff.utility.rawValue, try TariffStore.json(command.tariff)])
        guard !inserted.isEmpty else {
            let existing = try await TariffStore.load(command.tariff.code, on: db)
            if existing?.tariff == command.tariff, existing?.versions.first == command.firstVersion { return .done([]) }
            return .refused([FieldProblem("tariff.code", "tariff \(command.tariff.code) exists already: publish a new version of it")])
        }
        try await TariffStore.insert(version: command.firstVersion, of: command.tariff.code, on: db)
        try await TariffStore.audit(
            command.tariff.code, "created", actor: actor, reason: command.reason, effectiveFrom: command.firstVersion.effectiveFrom, changes: [], on: db)
        return .done([try .contract(TariffCreated(tariff: command.tariff, version: command.firstVersion, actor: actor, reason: command.reason), causedBy: message)])
    }

    static func publish(_ command: PublishTariffVersion, _ message: InboundMessage, _ db: PostgresConnection, _ actor: String) async throws -> Outcome {
        var problems = command.version.problems.prefixed("version") + reasonProblems(command.reason)
        guard let stored = try await TariffStore.load(command.tariffCode, on: db, lock: true), let latest = stored.versions.last else {
            return .refused([FieldProblem("tariffCode", "there is no tariff \(command.tariffCode)")] + problems)
        }
        if let retired = stored.retiredFrom, command.version.effectiveFrom >= retired {
            problems.append(FieldProblem("version.effectiveFrom", "tariff \(command.tariffCode) is retired from \(retired)"))
        }
        if command.version.effectiveFrom == latest.effectiveFrom, command.version == latest { return .done([]) }
        if Day(command.version.effectiveFrom) != nil, command.version.effectiveFrom <= latest.effectiveFrom {
            problems.append(FieldProblem(
                "version.effectiveFrom", "must be after \(latest.effectiveFrom), the latest version's: versions do not overlap, and the past is not rewritten"))
        }
        guard problems.isEmpty else { return .refused(problems) }
        let changes = command.version.changes(from: latest)
        try await TariffStore.insert(version: command.version, of: command.tariffCode, on: db)
        try await db.query("UPDATE tariffs SET revision = revision + 1 WHERE code = $1", [command.tariffCode])
        try await TariffStore.audit(
            command.tariffCode, "published", actor: actor, reason: command.reason, effectiveFrom: command.version.effectiveFrom, changes: changes, on: db)
        return .done([try .contract(
            TariffVersionPublished(tariff: stored.tariff, version: command.version, changes: changes, actor: actor, reason: command.reason), causedBy: message)])
    }

    static func retire(_ command: RetireTariff, _ message: InboundMessage, _ db: PostgresConnection, _ actor: String) async throws -> Outcome {
        var problems = reasonProblems(command.reason)
        guard let stored = try await TariffStore.load(command.tariffCode, on: db, lock: true), let latest = stored.versions.last else {
            return .refused([FieldProblem("tariffCode", "there is no tariff \(command.tariffCode)")] + problems)
        }
        if stored.retiredFrom == command.from { return .done([]) }
        if let retired = stored.retiredFrom { problems.append(FieldProblem("tariffCode", "tariff \(command.tariffCode) is retired already, from \(retired)")) }
        if Day(command.from) == nil {
            problems.append(FieldProblem("from", "\"\(command.from)\" is not a date YYYY-MM-DD"))
        } else if command.from <= latest.effectiveFrom {
            problems.append(FieldProblem("from", "must be after \(latest.effectiveFrom), when the latest version came into force"))
        }
        guard problems.isEmpty else { return .refused(problems) }
        try await db.query("UPDATE tariffs SET retired_from = $2::date, revision = revision + 1 WHERE code = $1", [command.tariffCode, command.from])
        try await TariffStore.audit(command.tariffCode, "retired", actor: actor, reason: command.reason, effectiveFrom: command.from, changes: [], on: db)
        return .done([try .contract(TariffRetired(tariffCode: command.tariffCode, from: command.from, actor: actor, reason: command.reason), causedBy: message)])
    }
}

extension [FieldProblem] {
    func prefixed(_ prefix: String) -> [FieldProblem] { map { FieldProblem("\(prefix).\($0.field)", $0.message) } }
}
