import CRabbitMQ
import Foundation

extension AMQPConnection {
    /// Messages in flight before the publisher waits for the broker's confirms.
    static let confirmWindow = 512

    /// Publishes messages and waits until the broker has confirmed every one.
    ///
    /// Publisher confirms are switched on for this connection at the first call. Up to
    /// `confirmWindow` messages are in flight at once. If the connection breaks, the messages
    /// not yet confirmed are sent again on a new connection (so a message may arrive twice;
    /// consumers deduplicate by `message_id`), up to `reconnectAttempts` times.
    /// - Returns: for each message, confirmed or returned as unroutable (`mandatory` only).
    public func publish(
        _ messages: [AMQPOutgoingMessage], confirmTimeout: Duration = .seconds(30), reconnectAttempts: Int = 3
    ) throws(AMQPError) -> [AMQPPublishOutcome] {
        if !confirmsWanted {
            confirmsWanted = true
            if state != nil {
                amqp_confirm_select(state, channel)
                try check("enabling publisher confirms")
            }
        }
        var outcomes = [AMQPPublishOutcome?](repeating: nil, count: messages.count)
        var attempt = 0
        while true {
            let pending = outcomes.indices.filter { outcomes[$0] == nil }
            if pending.isEmpty { return outcomes.map { $0! } }
            do {
                try connect()
                var start = 0
                while start < pending.count {
                    let chunk = pending[start..<min(start + Self.confirmWindow, pending.count)]
                    try publishChunk(messages, chunk, into: &outcomes, timeout: confirmTimeout)
                    start += chunk.count
                }
            } catch {
                let retryable = error.isConnectionFailure || { if case .nacked = error { true } else { false } }()
                attempt += 1
                guard retryable, attempt <= reconnectAttempts else { throw error }
                logger.warning("publishing again after: \(error)", metadata: ["attempt": "\(attempt)"])
                usleep(UInt32(min(100_000 << (attempt - 1), 2_000_000)))
            }
        }
    }

    private func publishChunk(
        _ messages: [AMQPOutgoingMessage], _ chunk: ArraySlice<Int>, into outcomes: inout [AMQPPublishOutcome?],
        timeout: Duration
    ) throws(AMQPError) {
        for index in chunk {
            unconfirmed[nextPublishTag] = index
            nextPublishTag += 1
            try basicPublish(messages[index])
        }
        let deadline = ContinuousClock.now + timeout
        var nacked: String?
        while !unconfirmed.isEmpty {
            guard ContinuousClock.now < deadline else {
                disconnect()
                throw .timeout("broker confirms for \(chunk.count) messages")
            }
            try readFrames(until: deadline, stopWhenConfirmed: true)
        }
        for (index, outcome) in settled {
            if let outcome { outcomes[index] = outcome } else { nacked = messages[index].properties.messageId }
        }
        settled.removeAll(keepingCapacity: true)
        if let nacked { throw .nacked(messageId: nacked) }
    }

    /// Publishes one message without waiting for anything: for replies and requests on a
    /// connection without confirms, where losing a message only means a timeout.
    public func send(_ message: AMQPOutgoingMessage) throws(AMQPError) {
        precondition(!confirmsWanted, "send() is for connections without publisher confirms")
        try connect()
        try basicPublish(message)
    }

    private func basicPublish(_ message: AMQPOutgoingMessage) throws(AMQPError) {
        let arena = CArena()
        var properties = arena.properties(message.properties)
        let status = amqp_basic_publish(
            state, channel, arena.bytes(message.exchange), arena.bytes(message.routingKey),
            message.mandatory ? 1 : 0, 0, &properties, arena.bytes(message.body))
        if status != AMQP_STATUS_OK.rawValue { throw libraryError(status, "publishing to \(message.exchange)") }
    }

    /// Reads and handles frames (confirms, returns, deliveries, closes) until the deadline, or
    /// until nothing is left unconfirmed.
    func readFrames(until deadline: ContinuousClock.Instant, stopWhenConfirmed: Bool = false) throws(AMQPError) {
        repeat {
            let remaining = max(deadline - ContinuousClock.now, .zero)
            var timeout = timeval(remaining)
            var frame = amqp_frame_t()
            let status = amqp_simple_wait_frame_noblock(state, &frame, &timeout)
            if status == AMQP_STATUS_TIMEOUT.rawValue { return }
            if status != AMQP_STATUS_OK.rawValue { throw libraryError(status, "reading from the broker") }
            try handle(frame)
        } while ContinuousClock.now < deadline && !(stopWhenConfirmed && unconfirmed.isEmpty)
    }

    /// Handles a frame that arrived outside a synchronous reply.
    func handle(_ frame: amqp_frame_t) throws(AMQPError) {
        guard frame.frame_type == UInt8(AMQP_FRAME_METHOD) else { return }
        let method = frame.payload.method
        switch method.id {
        case UTILIS_AMQP_BASIC_ACK:
            let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            settle(ack.delivery_tag, multiple: ack.multiple != 0, outcome: pendingReturn ?? .confirmed)
            pendingReturn = nil
        case UTILIS_AMQP_BASIC_NACK:
            let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            settle(nack.delivery_tag, multiple: nack.multiple != 0, outcome: nil)
        case UTILIS_AMQP_BASIC_RETURN:
            // The broker sends basic.return just before the basic.ack of the same message.
            let returned = method.decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            pendingReturn = .returned(code: returned.reply_code, text: returned.reply_text.string)
            var message = amqp_message_t()
            let reply = amqp_read_message(state, channel, &message, 0)
            if reply.reply_type == AMQP_RESPONSE_NORMAL { amqp_destroy_message(&message) }
        case UTILIS_AMQP_BASIC_DELIVER:
            let deliver = method.decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
            var message = amqp_message_t()
            let reply = amqp_read_message(state, channel, &message, 0)
            guard reply.reply_type == AMQP_RESPONSE_NORMAL else { throw .connectionLost("reading a delivery") }
            bufferedDeliveries.append(
                AMQPDelivery(
                    deliveryTag: deliver.delivery_tag, redelivered: deliver.redelivered != 0,
                    exchange: deliver.exchange.string, routingKey: deliver.routing_key.string,
                    properties: message.properties.swiftProperties, body: message.body.array,
                    connectionGeneration: generation))
            amqp_destroy_message(&message)
        case UTILIS_AMQP_CHANNEL_CLOSE:
            // The reply text lives in the connection's memory: copied before the connection is freed.
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            let text = close.reply_text.string
            disconnect()
            throw .channelClosed(code: close.reply_code, text: text)
        case UTILIS_AMQP_CONNECTION_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            let text = close.reply_text.string
            disconnect()
            throw .connectionClosed(code: close.reply_code, text: text)
        case UTILIS_AMQP_BASIC_CANCEL:
            disconnect()
            throw .connectionLost("the broker cancelled the consumer (queue deleted?)")
        case UTILIS_AMQP_CONNECTION_BLOCKED:
            logger.warning("the broker blocked publishing (memory or disk alarm)")
        case UTILIS_AMQP_CONNECTION_UNBLOCKED:
            logger.notice("the broker unblocked publishing")
        default:
            break
        }
    }

    private func settle(_ tag: UInt64, multiple: Bool, outcome: AMQPPublishOutcome?) {
        if multiple {
            for (pendingTag, index) in unconfirmed where pendingTag <= tag {
                unconfirmed[pendingTag] = nil
                settled.append((index, outcome))
            }
        } else if let index = unconfirmed.removeValue(forKey: tag) {
            settled.append((index, outcome))
        }
    }
}

extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
