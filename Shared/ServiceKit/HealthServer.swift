import AMQP
import Foundation
import Hummingbird
import Logging
import Messaging
import Postgres
import Prometheus

/// `/health` (200 when the database and the broker answer and every consumer is subscribed,
/// 503 otherwise, with a JSON body saying which) and `/metrics` (Prometheus text) on a small HTTP port of each service process.
public enum HealthServer {
    struct Status: Encodable {
        var service: String
        var instance: String
        var status: String
        var database: String
        var broker: String
        var consumers: String
    }

    public static func application(
        configuration: ServiceConfiguration, database: PostgresPool, readiness: Readiness, registry: PrometheusCollectorRegistry,
        logger: Logger
    ) -> some ApplicationProtocol {
        let broker = AMQPConnection(configuration: configuration.amqp, name: "health", logger: logger)
        let router = Router()
        router.get("/health") { _, _ -> Response in
            var status = Status(
                service: configuration.service, instance: configuration.instance, status: "ok", database: "ok", broker: "ok",
                consumers: "ok")
            do {
                try await database.withConnection { try await $0.query("SELECT 1") }
            } catch {
                status.database = "\(error)"
                status.status = "unavailable"
            }
            do {
                try await broker.connect()
            } catch {
                status.broker = "\(error)"
                status.status = "unavailable"
            }
            let waiting = readiness.waiting
            if !waiting.isEmpty {
                status.consumers = "not yet subscribed to \(waiting.joined(separator: ", "))"
                status.status = "unavailable"
            }
            let body = try JSONEncoder().encode(status)
            return Response(
                status: status.status == "ok" ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: configuration.service),
            logger: logger)
    }
}
