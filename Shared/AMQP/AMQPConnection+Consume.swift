import CRabbitMQ
import Foundation

extension AMQPConnection {
    /// Starts consuming from a queue with a prefetch window; remembered across reconnects.
    /// - Parameter noAck: deliveries count as acknowledged when sent (required for direct reply-to).
    public func consume(queue: String, prefetch: UInt16, noAck: Bool = false) throws(AMQPError) {
        consumerSetup = (queue, prefetch, noAck)
        if state == nil { try connect() } else { try startConsumerNow((queue, prefetch, noAck)) }
    }

    func startConsumerNow(_ setup: (queue: String, prefetch: UInt16, noAck: Bool)) throws(AMQPError) {
        if !setup.noAck {
            amqp_basic_qos(state, channel, 0, setup.prefetch, 0)
            try check("setting the prefetch window")
        }
        let arena = CArena()
        amqp_basic_consume(state, channel, arena.bytes(setup.queue), amqp_empty_bytes, 0, setup.noAck ? 1 : 0, 0, amqp_empty_table)
        try check("consuming from \(setup.queue)")
    }

    /// The next deliveries: waits up to `timeout` for the first, then takes only what has already
    /// arrived, up to `max`. Returns an empty array when nothing came. Reconnects if needed.
    public func nextDeliveries(max: Int, timeout: Duration) throws(AMQPError) -> [AMQPDelivery] {
        try connect()
        if !bufferedDeliveries.isEmpty {
            let taken = Array(bufferedDeliveries.prefix(max))
            bufferedDeliveries.removeFirst(taken.count)
            return taken
        }
        return try readDeliveries(max: max, timeout: timeout)
    }

    func readDeliveries(max: Int, timeout: Duration) throws(AMQPError) -> [AMQPDelivery] {
        var deliveries: [AMQPDelivery] = []
        var wait = timeout
        while deliveries.count < max {
            amqp_maybe_release_buffers(state)
            var envelope = amqp_envelope_t()
            var tv = timeval(wait)
            let reply = amqp_consume_message(state, &envelope, &tv, 0)
            if reply.reply_type == AMQP_RESPONSE_NORMAL {
                deliveries.append(
                    AMQPDelivery(
                        deliveryTag: envelope.delivery_tag, redelivered: envelope.redelivered != 0,
                        exchange: envelope.exchange.string, routingKey: envelope.routing_key.string,
                        properties: envelope.message.properties.swiftProperties, body: envelope.message.body.array,
                        connectionGeneration: generation))
                amqp_destroy_envelope(&envelope)
            } else if reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION,
                reply.library_error == AMQP_STATUS_TIMEOUT.rawValue
            {
                break
            } else if reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION,
                reply.library_error == AMQP_STATUS_UNEXPECTED_STATE.rawValue
            {
                // A frame other than a delivery (a close, a cancel): read it and act on it.
                var frame = amqp_frame_t()
                let status = amqp_simple_wait_frame(state, &frame)
                if status != AMQP_STATUS_OK.rawValue { throw libraryError(status, "reading from the broker") }
                try handle(frame)
                deliveries += bufferedDeliveries
                bufferedDeliveries.removeAll()
            } else {
                let error = AMQPError.connectionLost("consuming: \(Self.describe(reply))")
                disconnect()
                throw error
            }
            wait = .zero
        }
        return deliveries
    }

    /// Acknowledges a delivery. A delivery of an earlier connection is not acknowledged (its tag
    /// means nothing now; the broker will deliver the message again) and false is returned.
    @discardableResult
    public func ack(_ delivery: AMQPDelivery, multiple: Bool = false) throws(AMQPError) -> Bool {
        guard delivery.connectionGeneration == generation, state != nil else { return false }
        let status = amqp_basic_ack(state, channel, delivery.deliveryTag, multiple ? 1 : 0)
        if status != AMQP_STATUS_OK.rawValue { throw libraryError(status, "acknowledging") }
        return true
    }

    /// Negatively acknowledges a delivery; with `requeue` the broker delivers it again (and a
    /// quorum queue counts the delivery against its limit), without it the message is dead-lettered.
    @discardableResult
    public func nack(_ delivery: AMQPDelivery, requeue: Bool) throws(AMQPError) -> Bool {
        guard delivery.connectionGeneration == generation, state != nil else { return false }
        let status = amqp_basic_nack(state, channel, delivery.deliveryTag, 0, requeue ? 1 : 0)
        if status != AMQP_STATUS_OK.rawValue { throw libraryError(status, "rejecting") }
        return true
    }

    /// Takes one message from a queue without a consumer (`basic.get`), or nil when it is empty.
    /// The message stays unacknowledged until `ack`, `nack`, or the connection closes.
    public func get(queue: String) throws(AMQPError) -> AMQPDelivery? {
        try connect()
        let arena = CArena()
        let reply = amqp_basic_get(state, channel, arena.bytes(queue), 0)
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            let error: AMQPError
            do { try Self.check(reply, "getting from \(queue)", on: state!); error = .closed } catch let e { error = e }
            disconnect()
            throw error
        }
        guard reply.reply.id == UTILIS_AMQP_BASIC_GET_OK else { return nil }
        let ok = reply.reply.decoded.assumingMemoryBound(to: amqp_basic_get_ok_t.self).pointee
        var message = amqp_message_t()
        let read = amqp_read_message(state, channel, &message, 0)
        guard read.reply_type == AMQP_RESPONSE_NORMAL else {
            disconnect()
            throw .connectionLost("reading a message from \(queue)")
        }
        defer { amqp_destroy_message(&message) }
        return AMQPDelivery(
            deliveryTag: ok.delivery_tag, redelivered: ok.redelivered != 0, exchange: ok.exchange.string,
            routingKey: ok.routing_key.string, properties: message.properties.swiftProperties,
            body: message.body.array, connectionGeneration: generation)
    }
}
