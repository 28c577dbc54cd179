/// The deliveries of a queue as an `AsyncSequence`, one at a time, reconnecting (with the
/// consumer set up again) when the connection breaks. It ends when the task is cancelled.
///
/// ```swift
/// for try await delivery in connection.deliveries(queue: "billing.commands", prefetch: 64) {
///     try await connection.ack(delivery)
/// }
/// ```
public struct AMQPDeliveries: AsyncSequence, Sendable {
    public typealias Element = AMQPDelivery

    let connection: AMQPConnection
    let queue: String
    let prefetch: UInt16

    public struct AsyncIterator: AsyncIteratorProtocol {
        let source: AMQPDeliveries
        var buffered: [AMQPDelivery] = []
        var started = false

        public mutating func next() async throws -> AMQPDelivery? {
            var failures = 0
            while buffered.isEmpty {
                if Task.isCancelled { return nil }
                do {
                    if !started {
                        try await source.connection.consume(queue: source.queue, prefetch: source.prefetch)
                        started = true
                    }
                    buffered = try await source.connection.nextDeliveries(max: Int(source.prefetch), timeout: .milliseconds(100))
                    failures = 0
                } catch {
                    guard error.isConnectionFailure else { throw error }
                    failures += 1
                    try? await Task.sleep(for: .milliseconds(Swift.min(100 << Swift.min(failures, 6), 5_000)))
                }
            }
            return buffered.removeFirst()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(source: self) }
}

extension AMQPConnection {
    /// Consumes a queue as an `AsyncSequence`; acknowledge each delivery with `ack`, `nack` or `reject`.
    public nonisolated func deliveries(queue: String, prefetch: UInt16) -> AMQPDeliveries {
        AMQPDeliveries(connection: self, queue: queue, prefetch: prefetch)
    }

    /// Rejects a delivery: with `requeue` false the broker dead-letters it (if the queue says where).
    @discardableResult
    public func reject(_ delivery: AMQPDelivery, requeue: Bool) throws(AMQPError) -> Bool {
        try nack(delivery, requeue: requeue)
    }
}
