import Foundation
import Postgres

/// Signing in and out, and who a request is. A session is a random token; the database keeps
/// only its SHA-256, so a copy of the database signs no one in. Five failed sign-ins of a
/// username within a quarter of an hour refuse further tries until the quarter has passed.
enum Sessions {
    static let lifetime = 12 * 3600
    static let failuresAllowed = 5

    enum SignIn {
        case signedIn(token: String, csrf: String, employee: Employee)
        case refused
        case throttled
    }

    static func signIn(username: String, password: String, on db: PostgresConnection) async throws -> SignIn {
        let failures = try await db.query(
            "SELECT count(*) FROM sign_in_failures WHERE username = $1 AND failed_at > now() - interval '15 minutes'", [username])
            .scalar(Int.self)
        if failures >= failuresAllowed { return .throttled }
        let rows = try await db.query("SELECT password_hash FROM users WHERE username = $1 AND active", [username])
        let hash = try rows.first?.decode(String.self, 0)
        guard await Passwords.shared.verify(password, against: hash) else {
            try await db.query("INSERT INTO sign_in_failures (username) VALUES ($1)", [username])
            return .refused
        }
        try await db.query("DELETE FROM sign_in_failures WHERE username = $1", [username])
        let token = randomToken(), csrf = randomToken()
        try await db.query(
            """
            INSERT INTO sessions (token_hash, username, csrf_token, expires_at)
            VALUES (sha256(convert_to($1, 'UTF8')), $2, $3, now() + make_interval(secs => $4))
            """, [token, username, csrf, lifetime])
        guard let (employee, _) = try await employee(token: token, on: db) else { return .refused }
        return .signedIn(token: token, csrf: csrf, employee: employee)
    }

    /// The employee of a live session of an active user, with the session's CSRF token: one
    /// query, asked on every request.
    static func employee(token: String, on db: PostgresConnection) async throws -> (Employee, csrf: String)? {
        let rows = try await db.query(
            """
            SELECT s.username, s.csrf_token, u.display_name,
                   coalesce(array_agg(m.group_name ORDER BY m.group_name) FILTER (WHERE m.group_name IS NOT NULL), '{}'),
                   coalesce(array_agg(m.group_name ORDER BY m.group_name) FILTER (WHERE m.supervises), '{}')
            \(liveSession)
            """, [token])
        guard let row = rows.first else { return nil }
        let employee = Employee(
            username: try row.decode(String.self, 0), displayName: try row.decode(String.self, 2), groups: try row.decode([String].self, 3),
            supervises: try row.decode([String].self, 4))
        return (employee, try row.decode(String.self, 1))
    }

    /// The live session of token `$1`, of an active user, with their memberships as `m`: one row
    /// per session, grouped. Every request's access starts from this.
    static let liveSession = """
        FROM sessions s JOIN users u USING (username) LEFT JOIN memberships m ON m.username = s.username
        WHERE s.token_hash = sha256(convert_to($1, 'UTF8')) AND s.expires_at > now() AND u.active
        GROUP BY s.username, s.csrf_token, u.display_name
        """

    static func signOut(token: String, on db: PostgresConnection) async throws {
        try await db.query("DELETE FROM sessions WHERE token_hash = sha256(convert_to($1, 'UTF8'))", [token])
    }

    /// 256 bits from the system's secure generator, as hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
    }
}

/// Who is asking: a user with their groups. Every access decision starts from this.
struct Employee: Sendable, Encodable {
    var username: String
    var displayName: String
    var groups: [String]
    /// The groups whose tasks this employee may hand to others.
    var supervises: [String]
}

extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
