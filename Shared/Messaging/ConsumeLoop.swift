import AMQP
import Logging
import Synchronization

/// The loop every consumer of the runtime shares: subscribe on (re)connect with the topology
/// declared again, hand each batch of deliveries to `body`, and after a failure close, back off
/// and start over. It returns once `stopping` is set (or the task is cancelled).
enum ConsumeLoop {
    static func run(
        connection: AMQPConnection, topology: AMQPTopology, queue: String, prefetch: UInt16, batchSize: Int,
        stopping: borrowing Atomic<Bool>, readiness: Readiness?, logger: Logger,
        body: ([AMQPDelivery]) async throws -> Void
    ) async {
        readiness?.expect(queue)
        defer { readiness?.set(queue, ready: false) }
        var backoff = Backoff()
        while !stopping.load(ordering: .relaxed), !Task.isCancelled {
            do {
                if await !connection.isConnected {
                    try await connection.declare(topology)
                    try await connection.consume(queue: queue, prefetch: prefetch)
                    readiness?.set(queue, ready: true)
                    logger.info("consuming")
                }
                let deliveries = try await connection.nextDeliveries(max: batchSize, timeout: .milliseconds(100))
                if deliveries.isEmpty { continue }
                try await body(deliveries)
                backoff.reset()
            } catch {
                readiness?.set(queue, ready: false)
                logger.warning("consumer interrupted, reconnecting: \(error)")
                await connection.close()
                await backoff.wait(unless: stopping)
            }
        }
    }
}
