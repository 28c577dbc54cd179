import Contracts
import Foundation
import Hummingbird
import Mustache
import Postgres
import ServiceKit

/// The web UI: server-rendered pages over the same rules as the API. A page is signed in by
/// the session cookie; every form post carries the session's CSRF token in `_csrf`. Pages say
/// what went wrong in words, next to the field when a field is wrong.
struct Pages: Sendable {
    let templates: MustacheLibrary
    let environment: ServiceEnvironment
    let live: LiveInbox
    let diagrams: Diagrams
    let assets: [String: (contentType: String, body: String)]

    init(environment: ServiceEnvironment, live: LiveInbox) throws {
        guard let templateFolder = Bundle.module.url(forResource: "Templates", withExtension: nil),
            let staticFolder = Bundle.module.url(forResource: "Static", withExtension: nil)
        else { throw CartableError("the cartable's templates are missing from the bundle") }
        var templates = MustacheLibrary()
        for file in try FileManager.default.contentsOfDirectory(atPath: templateFolder.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: templateFolder.appendingPathComponent(file), encoding: .utf8)
            do {
                try templates.register(text, named: String(file.dropLast(".mustache".count)))
            } catch {
                throw CartableError("the template \(file) cannot be read: \(error)")
            }
        }
        var assets: [String: (String, String)] = [:]
        for (file, type) in [("app.css", "text/css; charset=utf-8"), ("app.js", "text/javascript; charset=utf-8")] {
            assets[file] = (type, try String(contentsOf: staticFolder.appendingPathComponent(file), encoding: .utf8))
        }
        self.templates = templates
        self.environment = environment
        self.live = live
        self.diagrams = Diagrams()
        self.assets = assets
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/") { request, _ in
            Response.redirect(to: request.cookies[Gateway.cookieName] == nil ? "/sign-in" : "/inbox")
        }
        router.get("static/:file") { _, context in
            let file = try context.parameters.require("file")
            guard let asset = assets[file] else { return Response(status: .notFound) }
            return Response(
                status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(string: asset.body)))
        }
        addSignIn(to: router)
        addInbox(to: router)
        addTask(to: router)
        addProcesses(to: router)
        addAdministration(to: router)
        addCustomers(to: router)
        addTariffs(to: router)
        addBills(to: router)
        addReports(to: router)
    }

    // MARK: - Rendering

    /// A page, with the headers every page has: no caching of personal data, no framing, and
    /// scripts and styles only from the cartable itself.
    func render(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let html = templates.render(values, withTemplate: template) ?? "template \(template) is missing"
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
                .init("X-Content-Type-Options")!: "nosniff", .init("Referrer-Policy")!: "same-origin",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// What every page of a signed-in employee shows in its header.
    func base(_ employee: Employee, csrf: String, title: String, nav: String? = nil) -> [String: Any] {
        var shown: [String: Any] = ["username": employee.username, "displayName": employee.displayName, "isAdministrator": employee.isAdministrator]
        if ReportRoutes.mayRead(employee) { shown["mayReadReports"] = true }
        var values: [String: Any] = ["title": title, "csrf": csrf, "employee": shown]
        if let nav { values["nav"] = [nav: true] }
        return values
    }

    func problemPage(_ status: HTTPResponse.Status, _ title: String, _ message: String, employee: Employee? = nil, csrf: String = "") -> Response {
        var values: [String: Any] = employee.map { base($0, csrf: csrf, title: title) } ?? ["title": title]
        values["message"] = message
        return render("problem", values, status: status)
    }

    // MARK: - Sessions

    /// Runs `body` for the employee of the session cookie, or sends them to sign in first.
    func page(
        _ request: Request, _ body: (Employee, String, PostgresConnection) async throws -> Response
    ) async throws -> Response {
        guard let token = request.cookies[Gateway.cookieName]?.value, !token.isEmpty else { return signInFirst(request) }
        return try await environment.database.withConnection { db in
            guard let (employee, csrf) = try await Sessions.employee(token: token, on: db) else { return signInFirst(request) }
            return try await body(employee, csrf, db)
        }
    }

    /// A form post: `body` gets the posted fields once the session and its CSRF token check out.
    func post(
        _ request: Request, _ body: @escaping (Employee, String, FormBody, PostgresConnection) async throws -> Response
    ) async throws -> Response {
        let fields = try await FormBody.read(request)
        return try await page(request) { employee, csrf, db in
            guard fields.first("_csrf") == csrf else {
                return problemPage(.forbidden, "The form has expired", "Open the page again and send the form from there.", employee: employee, csrf: csrf)
            }
            return try await body(employee, csrf, fields, db)
        }
    }

    private func signInFirst(_ request: Request) -> Response {
        let next = request.uri.path == "/" ? "" : "?next=\(request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_"))) ?? "")"
        return Response.redirect(to: "/sign-in\(next)")
    }
}

/// A `application/x-www-form-urlencoded` body: each name with its values in order.
struct FormBody: Sendable {
    var values: [String: [String]] = [:]

    static func read(_ request: Request) async throws -> FormBody {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        return FormBody(String(buffer: buffer))
    }

    init(_ text: String) {
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String { String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part) }
            values[decode(parts[0]), default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    func first(_ name: String) -> String? { values[name]?.first }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    /// Each field's first value, as a form of single fields posts them.
    var singles: [String: String] { values.compactMapValues(\.first) }
}
