import Contracts
import Foundation
import Hummingbird
import Messaging
import Postgres
import Pricing
import ServiceKit

/// `/api/tariffs`: the tariffs and one tariff's versions and audit, asked of the Tariff
/// service; every employee may read them (a clerk quotes a bill from them). Publishing is for
/// tariff managers, through the cartable's outbox as `tariff.publish-version`.
enum TariffRoutes {
    static let managers = "tariff-manager"

    static func mayPublish(_ employee: Employee) -> Bool { employee.groups.contains(managers) || employee.isAdministrator }

    static func add(to api: RouterGroup<some RequestContext>, environment: ServiceEnvironment) {
        api.get("tariffs") { request, context in
            try await Gateway.signedIn(request, context, environment) { _, _, _ in try Gateway.json(try await list(environment)) }
        }
        api.get("tariffs/:code") { request, context in
            let code = try context.parameters.require("code")
            return try await Gateway.signedIn(request, context, environment) { _, _, _ in
                guard let record = try await record(code, environment) else { return Gateway.problem(.notFound, "no such tariff") }
                return try Gateway.json(record)
            }
        }
    }

    static func list(_ environment: ServiceEnvironment) async throws -> TariffList {
        do {
            return try await environment.requests.ask(FindTariffs(), timeout: .seconds(5))
        } catch {
            throw Gateway.Refusal(status: .serviceUnavailable, message: "the Tariff service did not answer: \(error)", field: nil)
        }
    }

    /// The tariff, or nil when there is none by that code.
    static func record(_ code: String, _ environment: ServiceEnvironment) async throws -> TariffRecord? {
        do {
            return try await environment.requests.ask(GetTariff(tariffCode: code), timeout: .seconds(5))
        } catch RequestError.failed {
            return nil
        } catch {
            throw Gateway.Refusal(status: .serviceUnavailable, message: "the Tariff service did not answer: \(error)", field: nil)
        }
    }

    /// Why a consumption could not be priced, in the Tariff service's words.
    struct Unpriced: Error { let reason: String }

    static func price(_ request: PriceRequest, _ environment: ServiceEnvironment) async throws -> Result<PriceQuote, Unpriced> {
        do {
            return .success(try await environment.requests.ask(PriceConsumption(request: request), timeout: .seconds(5)).quote)
        } catch RequestError.failed(let reason) {
            return .failure(Unpriced(reason: reason))
        } catch {
            throw Gateway.Refusal(status: .serviceUnavailable, message: "the Tariff service did not answer: \(error)", field: nil)
        }
    }

    /// A new version from the tariff's latest with the form's edits, checked as the service
    /// checks it, then put in the outbox; or the problems, by field.
    static func publish(
        _ record: TariffRecord, edits: [String: String], effectiveFrom: String, reason: String, by employee: Employee, on db: PostgresConnection
    ) async throws -> [FieldProblem] {
        guard let latest = record.versions.last else { return [FieldProblem("version", "the tariff has no version")] }
        var problems: [FieldProblem] = []
        if Day(effectiveFrom) == nil {
            problems.append(FieldProblem("effectiveFrom", "a date YYYY-MM-DD"))
        } else if effectiveFrom <= latest.effectiveFrom {
            problems.append(FieldProblem("effectiveFrom", "must be after \(latest.effectiveFrom), the latest version's"))
        }
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(FieldProblem("reason", "say why: the audit keeps it")) }
        let version: TariffVersion
        do {
            version = try latest.applying(edits, effectiveFrom: effectiveFrom)
        } catch {
            return problems + error.problems
        }
        guard problems.isEmpty else { return problems }
        if version.changes(from: latest).isEmpty { return [FieldProblem("version", "no fee is changed: there is nothing to publish")] }
        try await Outbox.insert(
            [try .contract(PublishTariffVersion(tariffCode: record.tariff.code, version: version, reason: reason), actor: "user:\(employee.username)")], on: db)
        return []
    }
}
