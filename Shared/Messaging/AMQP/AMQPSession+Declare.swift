import CRabbitMQ

extension AMQPSession {
    func declare(_ topology: Topology) throws(TransportError) {
        for exchange in topology.exchanges {
            let arena = CArena()
            amqp_exchange_declare(state, channel, arena.bytes(exchange.name), arena.bytes(exchange.type),
                                  0, 1, 0, 0, amqp_empty_table)
            try check("exchange.declare \(exchange.name)")
        }
        for queue in topology.queues {
            let arena = CArena()
            amqp_queue_declare(state, channel, arena.bytes(queue.name), 0, 1, 0, 0, arena.table(queue.arguments))
            try check("queue.declare \(queue.name)")
        }
        for binding in topology.bindings {
            let arena = CArena()
            amqp_queue_bind(state, channel, arena.bytes(binding.queue), arena.bytes(binding.exchange),
                            arena.bytes(binding.routingKey), amqp_empty_table)
            try check("queue.bind \(binding.queue) \(binding.routingKey)")
        }
    }
}
