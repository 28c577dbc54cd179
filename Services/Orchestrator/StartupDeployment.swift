import Contracts
import Foundation
import Logging
import Messaging
import Postgres
import ServiceKit
import ServiceLifecycle

/// Deploys every model of the processes folder when the orchestrator starts, each file in its
/// own transaction; a file that is not a valid model is logged with its problems and skipped,
/// so one bad file does not keep the others (or the service) from starting.
struct StartupDeployment: Service {
    let folder: String
    let environment: ServiceEnvironment

    func run() async throws {
        let logger = environment.logger
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".bpmn") }.sorted()
        if files.isEmpty { logger.info("no process models to deploy", metadata: ["folder": "\(folder)"]) }
        for file in files {
            let path = URL(fileURLWithPath: folder).appendingPathComponent(file).path
            guard let data = FileManager.default.contents(atPath: path) else {
                logger.error("cannot read the process model", metadata: ["file": "\(path)"])
                continue
            }
            let command = DeployProcess(fileName: file, xml: String(decoding: data, as: UTF8.self))
            do {
                let deployed = try await environment.database.transaction { db in
                    let deployed = try await Deployment.deploy(command, actor: "system:orchestrator", on: db)
                    try await Outbox.insert(
                        try deployed.map { try OutgoingMessage.contract($0, actor: "system:orchestrator") }, on: db)
                    return deployed
                }
                for definition in deployed {
                    logger.info(
                        "\(definition.unchanged ? "already deployed" : "deployed") \(definition.processId) version \(definition.version)",
                        metadata: ["file": "\(file)"])
                }
            } catch {
                logger.error("process model not deployed: \(error)", metadata: ["file": "\(file)"])
            }
        }
        try await gracefulShutdown()
    }
}
