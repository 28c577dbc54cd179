import Contracts
import Forms
import Foundation
import Hummingbird
import Messaging
import Postgres
import ServiceKit

/// The employees' HTTP entry: a JSON API under `/api`. A request is signed in by a bearer token
/// (`Authorization: Bearer …`) or the session cookie; with the cookie, a changing request must
/// also carry the session's CSRF token in `X-CSRF-Token`.
enum Gateway {
    static let cookieName = "utilis_session"

    static func application(port: Int, environment: ServiceEnvironment, live: LiveInbox) throws -> some ApplicationProtocol {
        let router = Router()
        try Pages(environment: environment, live: live).add(to: router)
        let api = router.group("api")
        api.post("session") { request, context in try await signIn(request, context, environment) }
        api.delete("session") { request, context in
            try await signedIn(request, context, environment) { _, token, db in
                try await Sessions.signOut(token: token, on: db)
                var response = Response(status: .noContent)
                response.setCookie(Cookie(name: cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
                return response
            }
        }
        api.get("me") { request, context in
            try await signedIn(request, context, environment) { employee, _, _ in try json(employee) }
        }
        api.get("openapi.json") { _, _ in raw(.ok, OpenAPI.document.canonicalJSON) }
        TaskRoutes.add(to: api, environment: environment)
        ProcessRoutes.add(to: api, environment: environment)
        AdminRoutes.add(to: api, environment: environment)
        CustomerRoutes.add(to: api, environment: environment)
        TariffRoutes.add(to: api, environment: environment)
        AccountRoutes.add(to: api, environment: environment)
        BillRoutes.add(to: api, environment: environment)
        ReportRoutes.add(to: api, environment: environment)
        try checkDocumented(router.routes.map { "\($0.method) \($0.path)" }.filter { $0.contains(" /api") })
        return Application(
            router: router,
            configuration: .init(address: .hostname(environment.configuration.httpHost, port: port), serverName: "utilis-cartable"),
            logger: environment.logger)
    }

    /// The routes and the OpenAPI document's operations must be the same: a route added without
    /// its description (or the other way round) stops the gateway at start-up.
    static func checkDocumented(_ routes: [String]) throws {
        let documented = Set(OpenAPI.operations.map { "\($0.method) \($0.path)" })
        let served = Set(routes)
        guard documented == served else {
            throw CartableError(
                "the OpenAPI document and the routes differ: undocumented \(served.subtracting(documented).sorted()), not served \(documented.subtracting(served).sorted())")
        }
    }

    struct Credentials: Decodable {
        var username: String
        var password: String
    }

    struct SignedIn: Encodable {
        var token: String
        var csrfToken: String
        var employee: Employee
    }

    static func signIn(_ request: Request, _ context: some RequestContext, _ environment: ServiceEnvironment) async throws -> Response {
        let credentials = try await body(Credentials.self, of: request, context)
        let outcome = try await environment.database.withConnection { db in
            try await Sessions.signIn(username: credentials.username.lowercased(), password: credentials.password, on: db)
        }
        switch outcome {
        case .signedIn(let token, let csrf, let employee):
            var response = try json(SignedIn(token: token, csrfToken: csrf, employee: employee), status: .created)
            response.setCookie(Cookie(name: cookieName, value: token, maxAge: Sessions.lifetime, path: "/", httpOnly: true, sameSite: .strict))
            return response
        case .refused: return problem(.unauthorized, "the username or the password is wrong")
        case .throttled: return problem(.tooManyRequests, "too many failed sign-ins: try again in a quarter of an hour")
        }
    }

    /// Runs `body` for the signed-in employee, or answers 401 (403 for a missing CSRF token).
    static func signedIn(
        _ request: Request, _ context: some RequestContext, _ environment: ServiceEnvironment,
        _ body: (Employee, String, PostgresConnection) async throws -> Response
    ) async throws -> Response {
        guard let (token, byCookie) = token(of: request) else { return problem(.unauthorized, "sign in first") }
        return try await environment.database.withConnection { db in
            guard let (employee, csrf) = try await Sessions.employee(token: token, on: db) else {
                return problem(.unauthorized, "the session has ended: sign in again")
            }
            if byCookie, request.method != .get, request.method != .head, request.headers[.init("X-CSRF-Token")!] != csrf {
                return problem(.forbidden, "the request has no valid X-CSRF-Token")
            }
            return try await body(employee, token, db)
        }
    }

    /// The session token a request carries: a bearer token, or the session cookie.
    static func token(of request: Request) -> (token: String, byCookie: Bool)? {
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") { return (String(header.dropFirst(7)), false) }
        if let cookie = request.cookies[cookieName]?.value, !cookie.isEmpty { return (cookie, true) }
        return nil
    }

    /// The JSON body, or a 422 naming the field that does not fit.
    static func body<T: Decodable>(_ type: T.Type, of request: Request, _ context: some RequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        do {
            return try JSONBody.decode(T.self, from: Array(buffer.readableBytesView))
        } catch let error as DecodingError {
            let rejected = MessageRejected(decoding: error)
            throw Refusal(status: .unprocessableContent, message: rejected.reason, field: rejected.field)
        }
    }

    /// A request refused with the same JSON as every other refusal of the API.
    struct Refusal: HTTPResponseError {
        let status: HTTPResponse.Status
        let message: String
        let field: String?
        func response(from request: Request, context: some RequestContext) throws -> Response { problem(status, message, field: field) }
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response { raw(status, try encode(value)) }

    static func raw(_ status: HTTPResponse.Status, _ json: [UInt8]) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }

    static func raw(_ status: HTTPResponse.Status, _ json: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    static func problemBody(_ message: String, field: String? = nil) -> String {
        var body: [String: JSONValue] = ["error": .string(message)]
        if let field { body["field"] = .string(field) }
        return JSONValue.object(body).canonicalJSON
    }

    /// A form's problems: the first names `field`, as every refusal does, and `fields` lists all.
    static func problemBody(_ problems: Form.Problems) -> String {
        JSONValue.object([
            "error": .string("the form has \(problems.all.count == 1 ? "an error" : "\(problems.all.count) errors"): \(problems)"),
            "field": problems.all.first.map { .string($0.field) } ?? .null,
            "fields": .array(problems.all.map { .object(["field": .string($0.field), "error": .string($0.message)]) }),
        ]).canonicalJSON
    }

    static func problem(_ status: HTTPResponse.Status, _ message: String, field: String? = nil) -> Response {
        raw(status, problemBody(message, field: field))
    }
}
