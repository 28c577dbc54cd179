import Foundation
import Hummingbird

/// Signing in and out from the browser: the session cookie is HttpOnly and SameSite=Strict.
extension Pages {
    func addSignIn(to router: Router<BasicRequestContext>) {
        router.get("sign-in") { request, _ in
            render("sign-in", ["title": "Sign in", "next": request.uri.queryParameters["next"].map(String.init) ?? ""])
        }
        router.post("sign-in") { request, _ in
            let fields = try await FormBody.read(request)
            let username = (fields.first("username") ?? "").lowercased().trimmingCharacters(in: .whitespaces)
            let next = Self.safeNext(fields.first("next"))
            let outcome = try await environment.database.withConnection { db in
                try await Sessions.signIn(username: username, password: fields.first("password") ?? "", on: db)
            }
            switch outcome {
            case .signedIn(let token, _, _):
                var response = Response.redirect(to: next)
                response.setCookie(Cookie(name: Gateway.cookieName, value: token, maxAge: Sessions.lifetime, path: "/", httpOnly: true, sameSite: .strict))
                return response
            case .refused:
                return render("sign-in", ["title": "Sign in", "error": "The username or the password is wrong.", "username": username, "next": next], status: .unauthorized)
            case .throttled:
                return render(
                    "sign-in", ["title": "Sign in", "error": "Too many failed sign-ins: try again in a quarter of an hour.", "username": username, "next": next],
                    status: .tooManyRequests)
            }
        }
        router.post("sign-out") { request, _ in
            try await post(request) { _, _, _, db in
                if let token = request.cookies[Gateway.cookieName]?.value { try await Sessions.signOut(token: token, on: db) }
                var response = render("sign-in", ["title": "Sign in", "notice": "You have signed out.", "next": ""])
                response.setCookie(Cookie(name: Gateway.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
                return response
            }
        }
    }

    /// Only a path of this site: never another site a link could send a user to after signing in.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/inbox" }
        return next
    }
}
