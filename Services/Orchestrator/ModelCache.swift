import BPMN
import Postgres
import Synchronization

/// The deployed definitions, parsed once per version and shared by the handlers. A version
/// never changes, so a cached one is never stale; a process or version the cache lacks (deployed
/// by another replica) is loaded from the database before the command runs.
final class ModelCache: Sendable {
    private let versions = Mutex<[String: [Int: ProcessModel]]>([:])

    /// A library that holds `processId` (at `version`, or its latest) if the database has it.
    func library(for processId: String, version: Int?, on db: PostgresConnection) async throws -> Library {
        if let version {
            // A pinned version never changes: the database is asked only when the cache lacks it.
            if versions.withLock({ $0[processId]?[version] == nil }) { try await reload(on: db) }
        } else {
            // The latest version may be newer than the cache's (deployed by another replica).
            let latest = try await db.query("SELECT max(version) FROM definitions WHERE process_id = $1", [processId]).first?
                .decode(Int?.self, 0)
            if latest != versions.withLock({ $0[processId]?.keys.max() }) { try await reload(on: db) }
        }
        return current
    }

    var current: Library { Library(versions: versions.withLock { $0 }) }

    /// Loads every definition the cache does not have yet; false when there was none.
    @discardableResult
    func reload(on db: PostgresConnection) async throws -> Bool {
        let have = versions.withLock { $0.mapValues { Set($0.keys) } }
        var missing: [(String, Int)] = []
        for row in try await db.query("SELECT process_id, version FROM definitions") {
            let id = try row.decode(String.self, 0), version = try row.decode(Int.self, 1)
            if have[id]?.contains(version) != true { missing.append((id, version)) }
        }
        guard !missing.isEmpty else { return false }
        let rows = try await db.query(
            "SELECT process_id, version, xml FROM definitions WHERE (process_id, version) IN (SELECT * FROM unnest($1::text[], $2::int[]))",
            [missing.map(\.0), missing.map(\.1)])
        var loaded: [(String, Int, ProcessModel)] = []
        for row in rows {
            let id = try row.decode(String.self, 0), version = try row.decode(Int.self, 1)
            let definitions = try BPMNReader.read(Array(try row.decode(String.self, 2).utf8))
            // A document may hold several processes: each version row is for one of them.
            if let model = definitions.processes.first(where: { $0.id == id }) { loaded.append((id, version, model)) }
        }
        versions.withLock { for (id, version, model) in loaded { $0[id, default: [:]][version] = model } }
        return true
    }

    /// The latest version of every process, by process id.
    func latest(on db: PostgresConnection) async throws -> [(processId: String, version: Int, model: ProcessModel)] {
        let latest = try await db.query("SELECT process_id, max(version) FROM definitions GROUP BY process_id ORDER BY process_id")
        var pairs: [(String, Int)] = []
        for row in latest { pairs.append((try row.decode(String.self, 0), try row.decode(Int.self, 1))) }
        if pairs.contains(where: { id, version in versions.withLock { $0[id]?[version] == nil } }) { try await reload(on: db) }
        let library = current
        return pairs.compactMap { id, version in library.process(id, version: version).map { (id, version, $0.model) } }
    }

    /// The start events of the latest versions that a message or signal of this name starts.
    func starts(on kind: StartTrigger, named name: String, db: PostgresConnection) async throws -> [(processId: String, version: Int, startEvent: String)] {
        var found: [(String, Int, String)] = []
        for (id, version, model) in try await latest(on: db) {
            for start in model.startEvents {
                switch (kind, model.nodes[start]?.trigger) {
                case (.message, .message(let thrown, _)?) where thrown == name, (.signal, .signal(let thrown)?) where thrown == name:
                    found.append((id, version, start))
                default: continue
                }
            }
        }
        return found
    }

    enum StartTrigger { case message, signal }

    /// A consistent view for one command.
    struct Library: ProcessLibrary {
        let versions: [String: [Int: ProcessModel]]
        func process(_ id: String, version: Int?) -> (model: ProcessModel, version: Int)? {
            guard let all = versions[id], let chosen = version ?? all.keys.max(), let model = all[chosen] else { return nil }
            return (model, chosen)
        }
    }
}
