import Foundation
import Postgres

extension MigrationSet {
    /// The inbox and outbox tables every service database has; apply before the service's own.
    public static func messaging() throws -> MigrationSet {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw PostgresError(.configuration, "the Messaging migrations are missing from the bundle")
        }
        return try load(component: "messaging", from: directory)
    }
}
