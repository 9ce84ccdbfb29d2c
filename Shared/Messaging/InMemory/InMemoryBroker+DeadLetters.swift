import Dispatch
import Foundation

extension InMemoryBroker {
    /// Dead-letters the expired messages at the head of `name`, as RabbitMQ does: a message
    /// that expires behind one that has not waits for it.
    func expireLocked(_ name: String) {
        guard let queue = queues[name] else { return }
        let now = DispatchTime.now()
        var expired: [Message] = []
        for message in queue.messages {
            guard let deadline = message.expiresAt, deadline <= now else { break }
            expired.append(message)
        }
        guard !expired.isEmpty else { return }
        queues[name]!.messages.removeFirst(expired.count)
        for message in expired { deadLetterLocked(message, from: name, reason: "expired") }
    }

    /// Republishes `message` through the queue's dead-letter exchange (dropped when the queue
    /// has none), with an `x-death` entry and without its per-message expiry, as RabbitMQ does.
    func deadLetterLocked(_ message: Message, from name: String, reason: String) {
        guard let queue = queues[name], let exchange = queue.arguments["x-dead-letter-exchange"]?.stringValue else { return }
        let key = queue.arguments["x-dead-letter-routing-key"]?.stringValue ?? message.routingKey
        var dead = message
        dead.properties.headers = Self.addingDeath(to: message.properties.headers, queue: name, reason: reason,
                                                   exchange: message.exchange, routingKey: message.routingKey,
                                                   expiration: message.properties.expiration)
        dead.properties.expiration = nil
        dead.exchange = exchange
        dead.routingKey = key
        for target in routeLocked(exchange: exchange, routingKey: key) {
            enqueueLocked(dead, in: target)
            dispatchLocked(target)
        }
    }

    /// `x-death`: one table per (queue, reason), newest first, counting repeats; plus the
    /// `x-first-death-*` headers on the first death.
    static func addingDeath(to headers: [String: HeaderValue], queue: String, reason: String, exchange: String,
                            routingKey: String, expiration: String?) -> [String: HeaderValue] {
        var headers = headers
        var deaths: [HeaderValue] = []
        if case .array(let existing)? = headers["x-death"] { deaths = existing }
        var count: Int64 = 1
        if let index = deaths.firstIndex(where: {
            guard case .table(let t) = $0 else { return false }
            return t["queue"]?.stringValue == queue && t["reason"]?.stringValue == reason
        }), case .table(let old) = deaths.remove(at: index) {
            count = (old["count"]?.intValue ?? 0) + 1
        }
        var entry: [String: HeaderValue] = [
            "queue": .string(queue), "reason": .string(reason), "count": .int(count),
            "exchange": .string(exchange), "routing-keys": .array([.string(routingKey)]),
            "time": .timestamp(UInt64(Date().timeIntervalSince1970)),
        ]
        if let expiration { entry["original-expiration"] = .string(expiration) }
        deaths.insert(.table(entry), at: 0)
        headers["x-death"] = .array(deaths)
        if headers["x-first-death-queue"] == nil {
            headers["x-first-death-queue"] = .string(queue)
            headers["x-first-death-reason"] = .string(reason)
            headers["x-first-death-exchange"] = .string(exchange)
        }
        return headers
    }
}
