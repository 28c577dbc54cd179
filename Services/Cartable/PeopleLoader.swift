import Foundation
import Logging
import Postgres
import ServiceKit
import ServiceLifecycle

/// Loads groups and users from a JSON file at start-up (the demo's, or a utility's first
/// administrators): groups are added or retitled; a user not yet known is added with the
/// file's password; the memberships of the file's users become the file's.
///
///     {"groups": [{"name": "field-technician", "title": "Field technician"}],
///      "users": [{"username": "reza", "displayName": "Reza Karimi", "password": "…",
///                 "groups": ["field-technician"], "supervises": []}]}
struct PeopleLoader: Service {
    struct People: Decodable {
        struct Group: Decodable { var name: String; var title: String }
        struct User: Decodable {
            var username: String
            var displayName: String
            var password: String
            var groups: [String]
            var supervises: [String]?
        }
        var groups: [Group]
        var users: [User]
    }

    let file: String
    let environment: ServiceEnvironment

    func run() async throws {
        let logger = environment.logger
        do {
            guard let data = FileManager.default.contents(atPath: file) else { throw CartableError("cannot read \(file)") }
            let people = try JSONDecoder().decode(People.self, from: data)
            var hashes: [String: String] = [:]
            for user in people.users { hashes[user.username] = await Passwords.shared.hash(user.password) }
            try await environment.database.transaction { db in
                for group in people.groups {
                    try await db.query(
                        "INSERT INTO groups (name, title) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET title = excluded.title",
                        [group.name, group.title])
                }
                for user in people.users {
                    try await db.query(
                        "INSERT INTO users (username, display_name, password_hash) VALUES ($1, $2, $3) ON CONFLICT (username) DO NOTHING",
                        [user.username, user.displayName, hashes[user.username]!])
                    try await db.query("DELETE FROM memberships WHERE username = $1", [user.username])
                    for group in user.groups {
                        try await db.query(
                            "INSERT INTO memberships (username, group_name, supervises) VALUES ($1, $2, $3)",
                            [user.username, group, user.supervises?.contains(group) == true])
                    }
                }
            }
            logger.info("loaded \(people.groups.count) groups and \(people.users.count) users", metadata: ["file": "\(file)"])
        } catch {
            logger.error("people not loaded: \(error)", metadata: ["file": "\(file)"])
        }
        try await gracefulShutdown()
    }
}

/// A setting or file of the cartable that cannot be used, said plainly.
struct CartableError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
