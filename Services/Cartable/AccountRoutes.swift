import Contracts
import Foundation
import Hummingbird
import Ledger
import Messaging
import ServiceKit

/// `/api/subscriptions/{number}/account` and `/api/debtors`: a subscription's balance, open
/// bills and statement, and the debtors list, asked of the Ledger. The customer office reads
/// accounts (clerks answer customers, finance settles disputes); field staff do not. The debtors
/// list is finance's.
enum AccountRoutes {
    static let readers: Set<String> = ["registration-clerk", "billing-officer", "finance", "supervisor"]

    static func mayRead(_ employee: Employee) -> Bool { employee.isAdministrator || !readers.isDisjoint(with: employee.groups) }
    static func mayListDebtors(_ employee: Employee) -> Bool { employee.isAdministrator || employee.groups.contains("finance") }

    /// What the cartable shows of an account: the balance, the open bills, the statement.
    struct Account: Codable, Sendable {
        var subscriptionNumber: String
        var balance: LedgerBalance?
        var openItems: [OpenItems.Item]
        var statement: Statement
    }

    static func add(to api: RouterGroup<some RequestContext>, environment: ServiceEnvironment) {
        api.get("subscriptions/:number/account") { request, context in
            let number = try context.parameters.require("number")
            return try await Gateway.signedIn(request, context, environment) { employee, _, _ in
                guard mayRead(employee) else { return Gateway.problem(.notFound, "no such account") }
                let query = request.uri.queryParameters
                let to = query["to"].map(String.init) ?? LedgerDate.today
                let from = query["from"].map(String.init) ?? LedgerDate.yearBefore(to)
                guard let account = try await account(number, from: from, to: to, environment) else { return Gateway.problem(.notFound, "no such account") }
                return try Gateway.json(account)
            }
        }
        api.get("debtors") { request, context in
            try await Gateway.signedIn(request, context, environment) { employee, _, _ in
                guard mayListDebtors(employee) else { return Gateway.problem(.notFound, "no such list") }
                let query = request.uri.queryParameters
                let limit = query["limit"].flatMap { Int($0) } ?? 100, offset = query["offset"].flatMap { Int($0) } ?? 0
                do {
                    return try Gateway.json(try await environment.requests.ask(
                        FindDebtors(asOf: query["asOf"].map(String.init), limit: limit, offset: offset), timeout: .seconds(10)))
                } catch RequestError.failed(let reason) {
                    return Gateway.problem(.unprocessableContent, reason)
                } catch {
                    throw Gateway.Refusal(status: .serviceUnavailable, message: "the Ledger did not answer: \(error)", field: nil)
                }
            }
        }
    }

    /// The account of `subscription`, or nil when the Ledger has none; a date it refuses is a 422.
    static func account(_ subscription: String, from: String, to: String, _ environment: ServiceEnvironment) async throws -> Account? {
        do {
            async let balance = environment.requests.ask(GetBalance(subscriptionNumber: subscription), timeout: .seconds(5))
            async let items = environment.requests.ask(GetOpenItems(subscriptionNumber: subscription), timeout: .seconds(5))
            async let statement = environment.requests.ask(GetStatement(subscriptionNumber: subscription, from: from, to: to), timeout: .seconds(5))
            return Account(
                subscriptionNumber: subscription, balance: try await balance.totals.first, openItems: try await items.items, statement: try await statement)
        } catch RequestError.failed(let reason) {
            if reason.contains("no accounts") { return nil }
            throw Gateway.Refusal(status: .unprocessableContent, message: reason, field: nil)
        } catch {
            throw Gateway.Refusal(status: .serviceUnavailable, message: "the Ledger did not answer: \(error)", field: nil)
        }
    }
}

extension LedgerDate {
    /// The day a year before `day` (the statement's default range), or `day` itself when it is not a date.
    static func yearBefore(_ day: String) -> String { LedgerDate.day(day).map { LedgerDate.text($0 - 365) } ?? day }
}
