import Contracts
import Foundation
import Postgres

/// What administrators change: users, their groups and whether they may sign in, and the
/// groups themselves. Disabling a user or setting a new password ends their sessions at once.
enum Administration {
    static let group = "administrator"

    struct User: Encodable {
        var username: String
        var displayName: String
        var active: Bool
        var groups: [String]
        var supervises: [String]
    }

    struct Group: Encodable {
        var name: String
        var title: String
        var members: Int
    }

    static func users(on db: PostgresConnection) async throws -> [User] {
        try await db.query(
            """
            SELECT u.username, u.display_name, u.active,
                   coalesce(array_agg(m.group_name ORDER BY m.group_name) FILTER (WHERE m.group_name IS NOT NULL), '{}'),
                   coalesce(array_agg(m.group_name ORDER BY m.group_name) FILTER (WHERE m.supervises), '{}')
            FROM users u LEFT JOIN memberships m USING (username) GROUP BY u.username ORDER BY u.username
            """
        ).map {
            User(username: try $0.decode(String.self, 0), displayName: try $0.decode(String.self, 1), active: try $0.decode(Bool.self, 2),
                groups: try $0.decode([String].self, 3), supervises: try $0.decode([String].self, 4))
        }
    }

    static func groups(on db: PostgresConnection) async throws -> [Group] {
        try await db.query(
            "SELECT g.name, g.title, count(m.username)::int FROM groups g LEFT JOIN memberships m ON m.group_name = g.name GROUP BY g.name ORDER BY g.name"
        ).map { Group(name: try $0.decode(String.self, 0), title: try $0.decode(String.self, 1), members: try $0.decode(Int.self, 2)) }
    }

    /// A new user or changes to one; each field left out stays as it is.
    struct UserChange: Decodable {
        var username: String?
        var displayName: String?
        var password: String?
        var active: Bool?
        var groups: [String]?
        var supervises: [String]?
    }

    enum Outcome {
        case done
        case notFound
        case conflict(String)
        case invalid(field: String, String)
    }

    /// Why a change cannot be made, before anything is asked of the database. `target` is the
    /// user being changed (nil when creating one), `by` the administrator.
    private static func check(_ change: UserChange, target: String?, by administrator: String) -> Outcome? {
        let creating = target == nil
        if target == administrator, change.active == false { return .invalid(field: "active", "you cannot disable your own account") }
        if creating {
            guard let username = change.username, username.wholeMatch(of: /[a-z0-9][a-z0-9._-]{0,63}/) != nil else {
                return .invalid(field: "username", "must be 1 to 64 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit")
            }
            if change.displayName == nil { return .invalid(field: "displayName", "is required") }
            if change.password == nil { return .invalid(field: "password", "is required") }
        }
        if let name = change.displayName, !(1...200).contains(name.trimmingCharacters(in: .whitespaces).count) {
            return .invalid(field: "displayName", "must be 1 to 200 characters")
        }
        if let password = change.password, password.count < 8 || password.utf8.count > 72 {
            return .invalid(field: "password", "must be 8 to 72 bytes")  // bcrypt reads 72 bytes at most
        }
        if let supervises = change.supervises, !Set(supervises).isSubset(of: change.groups ?? supervises) {
            return .invalid(field: "supervises", "a supervisor must be a member of the groups they supervise")
        }
        return nil
    }

    /// Adds a user, as the API and the page both ask: checked, the password hashed (on its own
    /// thread), stored in one transaction.
    static func addUser(_ change: UserChange, by administrator: String, on db: PostgresConnection) async throws -> Outcome {
        if let refusal = check(change, target: nil, by: administrator) { return refusal }
        let hash = await Passwords.shared.hash(change.password!)
        return try await db.transaction { try await create(change, passwordHash: hash, on: $0) }
    }

    /// Changes a user the same way.
    static func changeUser(_ username: String, _ change: UserChange, by administrator: String, on db: PostgresConnection) async throws -> Outcome {
        if let refusal = check(change, target: username, by: administrator) { return refusal }
        var hash: String?
        if let password = change.password { hash = await Passwords.shared.hash(password) }
        return try await db.transaction { [hash] in try await update(username, change, passwordHash: hash, on: $0) }
    }

    /// Nothing is written when a group does not exist: the refusal comes before any change.
    private static func create(_ change: UserChange, passwordHash: String, on db: PostgresConnection) async throws -> Outcome {
        if let refusal = try await unknownGroup(in: change.groups ?? [], on: db) { return refusal }
        let inserted = try await db.query(
            "INSERT INTO users (username, display_name, password_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1",
            [change.username!, change.displayName!, passwordHash])
        if inserted.isEmpty { return .conflict("the username \(change.username!) is taken") }
        return try await setMemberships(change.username!, change.groups ?? [], supervises: change.supervises ?? [], on: db)
    }

    private static func update(_ username: String, _ change: UserChange, passwordHash: String?, on db: PostgresConnection) async throws -> Outcome {
        if let refusal = try await unknownGroup(in: change.groups ?? [], on: db) { return refusal }
        let rows = try await db.query(
            """
            UPDATE users SET display_name = coalesce($2, display_name), active = coalesce($3, active),
                password_hash = coalesce($4, password_hash)
            WHERE username = $1 RETURNING active
            """, [username, change.displayName, change.active, passwordHash])
        guard let active = try rows.first?.decode(Bool.self, 0) else { return .notFound }
        if !active || passwordHash != nil { try await db.query("DELETE FROM sessions WHERE username = $1", [username]) }
        if let groups = change.groups {
            return try await setMemberships(username, groups, supervises: change.supervises ?? [], on: db)
        } else if let supervises = change.supervises {
            try await db.query("UPDATE memberships SET supervises = (group_name = ANY ($2::text[])) WHERE username = $1", [username, supervises])
        }
        return .done
    }

    private static func unknownGroup(in groups: [String], on db: PostgresConnection) async throws -> Outcome? {
        let known = Set(try await db.query("SELECT name FROM groups WHERE name = ANY ($1::text[])", [groups]).map { try $0.decode(String.self, 0) })
        return groups.first { !known.contains($0) }.map { .invalid(field: "groups", "there is no group \($0)") }
    }

    private static func setMemberships(_ username: String, _ groups: [String], supervises: [String], on db: PostgresConnection) async throws -> Outcome {
        try await db.query("DELETE FROM memberships WHERE username = $1", [username])
        try await db.query(
            """
            INSERT INTO memberships (username, group_name, supervises)
            SELECT $1, g, g = ANY ($3::text[]) FROM unnest($2::text[]) AS g ON CONFLICT DO NOTHING
            """, [username, groups, supervises])
        return .done
    }

    struct NewGroup: Decodable {
        var name: String
        var title: String
    }

    static func create(_ group: NewGroup, on db: PostgresConnection) async throws -> Outcome {
        guard group.name.wholeMatch(of: /[a-z0-9][a-z0-9-]{0,63}/) != nil else {
            return .invalid(field: "name", "must be lower-case letters, digits and dashes, as process models name candidate groups")
        }
        guard (1...200).contains(group.title.count) else { return .invalid(field: "title", "must be 1 to 200 characters") }
        let inserted = try await db.query("INSERT INTO groups (name, title) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1", [group.name, group.title])
        return inserted.isEmpty ? .conflict("the group \(group.name) exists") : .done
    }
}
