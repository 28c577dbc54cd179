import Hummingbird
import Postgres

/// `Idempotency-Key`: a changing request sent again with the same key answers as the first did
/// and changes nothing; a second one racing the first waits for it on the key's row. Runs in
/// the caller's transaction, so the answer is kept only if the change is.
enum Idempotency {
    static func run(
        _ request: Request, for username: String, on db: PostgresConnection,
        _ apply: () async throws -> (HTTPResponse.Status, String)
    ) async throws -> Response {
        let described = "\(request.method) \(request.uri.path)"
        guard let key = request.headers[.init("Idempotency-Key")!] else {
            let (status, body) = try await apply()
            return Gateway.raw(status, body)
        }
        let fresh = try await db.query(
            "INSERT INTO idempotency_keys (username, key, request) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1",
            [username, key, described])
        if fresh.isEmpty {
            let row = try await db.query("SELECT request, status, body FROM idempotency_keys WHERE username = $1 AND key = $2", [username, key])[0]
            guard try row.decode(String.self, 0) == described, let status = try row.decode(Int?.self, 1) else {
                return Gateway.problem(.unprocessableContent, "this key was used for another request", field: "Idempotency-Key")
            }
            return Gateway.raw(HTTPResponse.Status(code: status), try row.decode(String.self, 2))
        }
        let (status, body) = try await apply()
        try await db.query("UPDATE idempotency_keys SET status = $3, body = $4 WHERE username = $1 AND key = $2", [username, key, status.code, body])
        return Gateway.raw(status, body)
    }
}
