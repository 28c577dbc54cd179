import Contracts
import Foundation
import Hummingbird
import Messaging
import ServiceKit

/// `/api/customers`: finding a customer and reading their record, asked of Registration, which
/// keeps it. Every signed-in employee of the customer office may look customers up.
enum CustomerRoutes {
    static func add(to api: RouterGroup<some RequestContext>, environment: ServiceEnvironment) {
        api.get("customers") { request, context in
            try await Gateway.signedIn(request, context, environment) { _, _, _ in
                let text = request.uri.queryParameters["q"].map(String.init) ?? ""
                guard (2...100).contains(text.count) else {
                    return Gateway.problem(.unprocessableContent, "q must be 2 to 100 characters", field: "q")
                }
                guard let offset = Int(request.uri.queryParameters["offset"].map(String.init) ?? "0"), (0...1000).contains(offset) else {
                    return Gateway.problem(.unprocessableContent, "offset must be 0 to 1000", field: "offset")
                }
                return try Gateway.json(try await find(text, offset: offset, environment))
            }
        }
        api.get("customers/:id") { request, context in
            let number = try context.parameters.require("id")
            return try await Gateway.signedIn(request, context, environment) { _, _, _ in
                // Both asked at once: the record of Registration, the processes of the orchestrator.
                async let processes = processes(number, environment)
                guard let record = try await record(number, environment) else { return Gateway.problem(.notFound, "no such customer") }
                // The record, with the processes run for the customer (their business key).
                guard case .object(var picture) = try JSONValue.of(record) else { return try Gateway.json(record) }
                picture["processes"] = try .of(await processes)
                return try Gateway.json(JSONValue.object(picture))
            }
        }
    }

    /// A page of the customers found.
    static let pageSize = 50

    static func find(_ text: String, offset: Int = 0, _ environment: ServiceEnvironment) async throws -> CustomerList {
        do {
            return try await environment.requests.ask(FindCustomers(text: text, limit: pageSize, offset: offset), timeout: .seconds(5))
        } catch {
            throw Gateway.Refusal(status: .serviceUnavailable, message: "Registration did not answer: \(error)", field: nil)
        }
    }

    /// The processes whose business key is the customer's number, newest first; nil when the
    /// orchestrator does not answer (the record is shown without them).
    static func processes(_ number: String, _ environment: ServiceEnvironment) async -> [InstanceSummary]? {
        try? await environment.requests.ask(FindInstances(businessKey: number, processId: nil, status: nil, limit: 50), timeout: .seconds(5)).instances
    }

    /// The record, or nil when Registration has no such customer.
    static func record(_ number: String, _ environment: ServiceEnvironment) async throws -> CustomerRecord? {
        do {
            return try await environment.requests.ask(GetCustomer(customerNumber: number), timeout: .seconds(5))
        } catch RequestError.failed {
            return nil
        } catch {
            throw Gateway.Refusal(status: .serviceUnavailable, message: "Registration did not answer: \(error)", field: nil)
        }
    }
}
