import BPMN
import Contracts
import Messaging
import Postgres

/// Deploying a BPMN document: each executable process in it becomes a new version of its
/// process id, unless its latest version has the very same bytes (then that version answers).
/// An invalid document is refused with the reader's element-level problems and stores nothing.
enum Deployment {
    static func deploy(_ command: DeployProcess, actor: String, on db: PostgresConnection) async throws -> [ProcessDeployed] {
        let definitions: Definitions
        do {
            definitions = try BPMNReader.read(Array(command.xml.utf8))
        } catch {
            throw MessageRejected(field: "xml", "\(command.fileName) is not a valid model: " + error.problems.map(\.description).joined(separator: "; "))
        }
        let executable = definitions.processes.filter(\.isExecutable)
        guard !executable.isEmpty else {
            throw MessageRejected(field: "xml", "\(command.fileName) has no executable process (isExecutable=\"true\")")
        }
        let checksum = Checksum.fnv1a(command.xml)
        var deployed: [ProcessDeployed] = []
        for process in executable {
            // One deployment at a time per process id, across replicas, so versions never collide.
            try await db.query("SELECT pg_advisory_xact_lock(hashtext('definitions:' || $1))", [process.id])
            let latest = try await db.query(
                """
                SELECT version, checksum = $2 AND xml = $3, \(Self.utc("deployed_at")) FROM definitions
                WHERE process_id = $1 ORDER BY version DESC LIMIT 1
                """, [process.id, checksum, command.xml])
            if let row = latest.first, try row.decode(Bool.self, 1) {
                deployed.append(ProcessDeployed(
                    processId: process.id, name: process.name, version: try row.decode(Int.self, 0), fileName: command.fileName,
                    unchanged: true, deployedBy: actor, deployedAt: try row.decode(String.self, 2)))
                continue
            }
            let version = (try latest.first?.decode(Int.self, 0) ?? 0) + 1
            let stored = try await db.query(
                """
                INSERT INTO definitions (process_id, version, name, file_name, checksum, xml, deployed_by)
                VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING \(Self.utc("deployed_at"))
                """, [process.id, version, process.name, command.fileName, checksum, command.xml, actor])
            deployed.append(ProcessDeployed(
                processId: process.id, name: process.name, version: version, fileName: command.fileName, unchanged: false,
                deployedBy: actor, deployedAt: try stored.scalar(String.self)))
        }
        return deployed
    }

    static func utc(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    }
}

/// FNV-1a, 64 bits, as hex: a cheap first comparison of documents (the bytes decide).
enum Checksum {
    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
