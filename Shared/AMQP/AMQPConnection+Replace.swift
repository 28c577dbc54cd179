import CRabbitMQ

extension AMQPConnection {
    /// A channel of its own for declaring a replaceable queue: the broker closes the channel
    /// that asked for a queue with other arguments, and the main one carries confirms and the consumer.
    static let replacingChannel: amqp_channel_t = 2

    /// Declares a queue that an earlier release may have declared with other arguments (a query
    /// queue that was a quorum queue). RabbitMQ refuses such a declare with 406; the old queue is
    /// then deleted, with what it holds, and declared again as asked, but only while no consumer
    /// uses it: a replica of the earlier release still running keeps it, and this connection
    /// fails with `queueInUse` and is retried by its consumer loop.
    func declareReplacing(_ queue: AMQPTopology.Queue) throws(AMQPError) {
        guard let state else { throw .closed }
        let scratch = Self.replacingChannel
        amqp_channel_open(state, scratch)
        try check("opening a channel to declare queue \(queue.name)")
        let arena = CArena()
        let name = arena.bytes(queue.name)
        let durable: amqp_boolean_t = queue.durable ? 1 : 0
        amqp_queue_declare(state, scratch, name, 0, durable, 0, 0, arena.table(queue.arguments))
        let reply = amqp_get_rpc_reply(state)
        if Self.isPreconditionFailed(reply) {
            var closeOK = amqp_channel_close_ok_t(dummy: 0)
            amqp_send_method(state, scratch, UTILIS_AMQP_CHANNEL_CLOSE_OK, &closeOK)
            amqp_channel_open(state, scratch)
            try check("opening a channel to replace queue \(queue.name)")
            // Quorum queues do not take delete's if-unused flag, so the consumers are counted first.
            let consumers = amqp_queue_declare(state, scratch, name, 1, 0, 0, 0, amqp_empty_table)?.pointee.consumer_count ?? 0
            try check("counting the consumers of queue \(queue.name)")
            guard consumers == 0 else {
                disconnect()
                throw .queueInUse(queue: queue.name, consumers: consumers)
            }
            amqp_queue_delete(state, scratch, name, 0, 0)
            try check("deleting queue \(queue.name), declared before with other arguments")
            amqp_queue_declare(state, scratch, name, 0, durable, 0, 0, arena.table(queue.arguments))
            try check("declaring queue \(queue.name) again")
            logger.notice("replaced a queue declared before with other arguments", metadata: ["queue": "\(queue.name)"])
        } else {
            do {
                try Self.check(reply, "declaring queue \(queue.name)", on: state)
            } catch {
                disconnect()
                throw error
            }
        }
        amqp_channel_close(state, scratch, Int32(AMQP_REPLY_SUCCESS))
        try check("closing the channel that declared queue \(queue.name)")
    }

    static func isPreconditionFailed(_ reply: amqp_rpc_reply_t) -> Bool {
        guard reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION, reply.reply.id == UTILIS_AMQP_CHANNEL_CLOSE,
            let decoded = reply.reply.decoded
        else { return false }
        return decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee.reply_code == 406
    }
}
