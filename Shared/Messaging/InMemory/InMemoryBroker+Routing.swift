import Dispatch

extension InMemoryBroker {
    /// Routes and stores `messages` in order; returns the failures (unroutable mandatory
    /// messages), as a broker's returns would report them.
    func publish(_ messages: [OutgoingMessage]) throws -> [PublishFailure] {
        try lock.withLock {
            // RabbitMQ closes the channel (404) for an exchange that does not exist.
            if let missing = messages.first(where: { !$0.exchange.isEmpty && exchanges[$0.exchange] == nil }) {
                throw TransportError.brokerRefused(code: 404, text: "NOT_FOUND - no exchange '\(missing.exchange)'")
            }
            var failures: [PublishFailure] = []
            var touched = Set<String>()
            for (index, outgoing) in messages.enumerated() {
                let message = Message(exchange: outgoing.exchange, routingKey: outgoing.routingKey,
                                      properties: outgoing.properties, body: outgoing.body)
                let targets = routeLocked(exchange: outgoing.exchange, routingKey: outgoing.routingKey)
                if targets.isEmpty {
                    if outgoing.mandatory {
                        failures.append(PublishFailure(index: index, messageId: outgoing.properties.messageId,
                            reason: .unroutable(replyCode: 312, replyText: "NO_ROUTE", exchange: outgoing.exchange,
                                                routingKey: outgoing.routingKey)))
                    }
                    continue
                }
                for queue in targets { enqueueLocked(message, in: queue) }
                touched.formUnion(targets)
            }
            for name in touched { dispatchLocked(name) }
            return failures
        }
    }

    /// The queues a message published to `exchange` with `routingKey` lands in.
    func routeLocked(exchange: String, routingKey: String) -> [String] {
        if exchange.isEmpty { return queues[routingKey] == nil ? [] : [routingKey] }
        guard let type = exchanges[exchange] else { return [] }
        var targets: [String] = []
        for binding in bindings where binding.exchange == exchange && !targets.contains(binding.queue) {
            let matches = switch type {
            case "topic": Self.topicMatches(pattern: binding.routingKey, key: routingKey)
            case "fanout": true
            default: binding.routingKey == routingKey
            }
            if matches && queues[binding.queue] != nil { targets.append(binding.queue) }
        }
        return targets
    }

    /// AMQP topic matching: words separated by dots, `*` matches one word, `#` zero or more.
    static func topicMatches(pattern: String, key: String) -> Bool {
        let p = pattern.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let k = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        func match(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == k.count }
            if p[i] == "#" { return (j...k.count).contains { match(i + 1, $0) } }
            guard j < k.count, p[i] == "*" || p[i] == k[j] else { return false }
            return match(i + 1, j + 1)
        }
        return match(0, 0)
    }

    /// Stores `message` at the tail of `queue`, stamping its expiry from the message's
    /// `expiration` or the queue's `x-message-ttl`, whichever is shorter.
    func enqueueLocked(_ message: Message, in name: String) {
        guard let queue = queues[name] else { return }
        var message = message
        message.redelivered = false
        message.expiresAt = nil  // a dead-lettered message starts afresh in its new queue
        let ttls = [message.properties.expiration.flatMap { Int($0) },
                    queue.arguments["x-message-ttl"]?.intValue.map { Int($0) }].compactMap { $0 }
        if let ttl = ttls.min() {
            let deadline = DispatchTime.now() + .milliseconds(ttl)
            message.expiresAt = deadline
            DispatchQueue.global().asyncAfter(deadline: deadline) { [weak self] in
                self?.lock.withLock { self?.dispatchLocked(name) }
            }
        }
        queues[name]!.messages.append(message)
    }
}
