import Contracts
import Foundation
import Hummingbird
import Messaging
import ServiceKit

/// `/api/bills/{billId}` and `/api/subscriptions/{number}/bills`: bills as Billing keeps them,
/// for the customer office (the same employees who read accounts).
enum BillRoutes {
    static func add(to api: RouterGroup<some RequestContext>, environment: ServiceEnvironment) {
        api.get("bills/:id") { request, context in
            let billId = try context.parameters.require("id")
            return try await Gateway.signedIn(request, context, environment) { employee, _, _ in
                guard AccountRoutes.mayRead(employee), let record = try await bill(billId, environment) else { return Gateway.problem(.notFound, "no such bill") }
                return try Gateway.json(record)
            }
        }
        api.get("subscriptions/:number/bills") { request, context in
            let number = try context.parameters.require("number")
            return try await Gateway.signedIn(request, context, environment) { employee, _, _ in
                guard AccountRoutes.mayRead(employee) else { return Gateway.problem(.notFound, "no such subscription") }
                return try Gateway.json(try await bills(FindBills(subscriptionNumber: number), environment))
            }
        }
    }

    /// A bill with its last periods, or nil when Billing has no such bill.
    static func bill(_ billId: String, _ environment: ServiceEnvironment) async throws -> BillRecord? {
        do {
            return try await environment.requests.ask(GetBill(billId: billId), timeout: .seconds(5))
        } catch RequestError.failed(let reason) where reason.contains("there is no bill") {
            return nil
        } catch RequestError.failed(let reason) {
            throw Gateway.Refusal(status: .unprocessableContent, message: reason, field: nil)
        } catch {
            throw Gateway.Refusal(status: .serviceUnavailable, message: "Billing did not answer: \(error)", field: nil)
        }
    }

    static func bills(_ query: FindBills, _ environment: ServiceEnvironment) async throws -> BillList {
        do {
            return try await environment.requests.ask(query, timeout: .seconds(5))
        } catch RequestError.failed(let reason) {
            throw Gateway.Refusal(status: .unprocessableContent, message: reason, field: nil)
        } catch {
            throw Gateway.Refusal(status: .serviceUnavailable, message: "Billing did not answer: \(error)", field: nil)
        }
    }
}
