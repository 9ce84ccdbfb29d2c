import APIModels
import Consuming
import Contracts
import Foundation
import Messaging
import Runtime
import ServiceLifecycle
import Toolkit

/// Sends re-driven messages. All its state is in the database (which items are sent, when
/// the canary went, when sending started), so after a restart it simply carries on: an item
/// is marked sent only after the broker confirmed it, and an item sent but not yet marked is
/// sent again, which the consuming service's inbox makes harmless.
///
/// A re-drive with a canary sends its first message alone and waits for its outcome; then
/// the rest go out at `rate` messages per second, counted from when the canary succeeded.
struct RedriveWorker: Service {
    let runtime: RuntimeContext
    let settings: IncidentSettings

    /// Largest batch published at once.
    static let batch = 200

    func run() async throws {
        try await runtime.waitUntilReady()
        var buckets: [String: RateBucket] = [:]
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do { try await tick(&buckets) } catch {
                runtime.logger.warning("re-drive tick failed; will retry", metadata: ["error": "\(error)"])
            }
            await sleepUnlessShuttingDown(for: settings.redriveTick)
        }
    }

    func tick(_ buckets: inout [String: RateBucket]) async throws {
        let repository = RedriveRepository(runtime: runtime)
        let active = try await repository.active()
        buckets = buckets.filter { id, _ in active.contains { $0.id == id } }
        for redrive in active {
            switch redrive.state {
            case "canary":
                guard let canary = try await repository.canary(redrive.id) else { continue }
                if canary.state == "pending" {
                    try await send(redrive.id) { _, _ in 1 }
                } else if canary.state == "sent", let sent = canary.sentAt,
                          Date().timeIntervalSince(sent) > settings.canaryTimeout.seconds {
                    try await runtime.transaction { connection, emitter in
                        try await RedriveLedger(runtime: runtime).stop(redrive.id,
                            reason: "the canary's outcome did not arrive within \(Int(settings.canaryTimeout.seconds)) s; is its service running?",
                            actor: "system", onlyIn: ["canary"], on: connection, emitter: emitter)
                    }
                }
            case "running":
                try await expireOverdue(redrive.id)
                if redrive.sent >= redrive.total {
                    try await runtime.transaction { connection, emitter in
                        try await RedriveLedger(runtime: runtime).finishIfDone(redrive.id, on: connection, emitter: emitter)
                    }
                    continue
                }
                // Two limits: what is owed since sending started (shared by all replicas, so
                // two of them never double the rate), and this worker's token bucket (so a
                // restarted worker does not catch up in a burst).
                var bucket = buckets[redrive.id] ?? RateBucket(rate: redrive.rate, capacity: max(1, redrive.rate * settings.redriveTick.seconds))
                let tokens = bucket.refill()
                let sent = try await send(redrive.id) { current, startedAt in
                    let elapsed = Date().timeIntervalSince(startedAt ?? Date())
                    let owed = Int(current.rate * elapsed) + 1 + (current.canary ? 1 : 0) - current.sent
                    return min(owed, tokens, Self.batch)
                }
                bucket.take(sent)
                buckets[redrive.id] = bucket
            default:
                continue
            }
        }
    }

    /// Settles as failed what was sent longer ago than the canary timeout and never came back
    /// (the dead letters are pending again), so a lost copy cannot keep a re-drive open.
    private func expireOverdue(_ redriveId: String) async throws {
        for deadLetterId in try await RedriveRepository(runtime: runtime).overdue(redriveId, olderThan: settings.canaryTimeout) {
            try await runtime.transaction { connection, emitter in
                try await RedriveLedger(runtime: runtime).failed(redriveId: redriveId, deadLetterId: deadLetterId,
                    error: "no outcome within \(Int(settings.canaryTimeout.seconds)) s", supersededBy: nil,
                    on: connection, emitter: emitter)
            }
        }
    }

    /// Sends the next items of a re-drive under its lock, so two incident replicas never
    /// send the same re-drive at once. `limit` decides how many, from the re-drive as read
    /// under the lock. Items are marked sent and published in one transaction: if the publish
    /// fails, the marks roll back. Returns how many went.
    @discardableResult
    private func send(_ redriveId: String, limit: @escaping @Sendable (Redrive, Date?) -> Int) async throws -> Int {
        let repository = RedriveRepository(runtime: runtime)
        let (sent, unsendable) = try await runtime.database.transaction { connection -> (Int, [(id: String, error: String)]) in
            guard try await repository.lock(redriveId, on: connection),
                  let (redrive, startedAt) = try await repository.progress(redriveId, on: connection),
                  redrive.state == "canary" || redrive.state == "running" else { return (0, []) }
            let count = limit(redrive, startedAt)
            guard count > 0 else { return (0, []) }
            var messages: [String: OutgoingMessage] = [:]
            var unsendable: [(id: String, error: String)] = []
            for item in try await repository.pending(redriveId, limit: count, on: connection) {
                switch message(item, redrive: redrive) {
                case .success(let message): messages[item.deadLetterId] = message
                case .failure(let error): unsendable.append((item.deadLetterId, error.message))
                }
            }
            // Only what is still pending under the lock goes (an operator may have stopped it).
            let marked = try await repository.markSent(redriveId, Array(messages.keys), on: connection)
            let refused = try await publish(marked.compactMap { id in messages[id].map { (id, $0) } })
            runtime.metrics.increment("sluice_redriven_messages_total", ["service": "incident"], by: Double(marked.count))
            return (marked.count, unsendable + refused)
        }
        // Settled after the send's transaction, in the ledger's lock order.
        for (deadLetterId, error) in unsendable {
            try await runtime.transaction { connection, emitter in
                try await RedriveLedger(runtime: runtime).failed(redriveId: redriveId, deadLetterId: deadLetterId,
                                                                 error: error, supersededBy: nil, on: connection,
                                                                 emitter: emitter)
            }
        }
        return sent
    }

    /// Publishes the copies (confirmed, with a short timeout: the send's transaction is open);
    /// returns those the broker refused, with why. Any other failure rolls the send back.
    private func publish(_ items: [(id: String, message: OutgoingMessage)]) async throws -> [(id: String, error: String)] {
        guard !items.isEmpty else { return [] }
        do {
            let (publisher, messages) = (runtime.publisher, items.map(\.message))
            try await withDeadline(.seconds(15), "re-drive publish") { try await publisher.publish(messages) }
            return []
        } catch TransportError.publishFailed {
            // Find the ones the broker refuses (e.g. their queue was deleted); send the rest.
            var refused: [(id: String, error: String)] = []
            for (id, message) in items {
                do {
                    let publisher = runtime.publisher
                    try await withDeadline(.seconds(15), "re-drive publish") { try await publisher.publish([message]) }
                } catch TransportError.publishFailed(let failures) {
                    refused.append((id, "cannot publish to queue \(message.routingKey): \(failures)"))
                }
            }
            return refused
        }
    }

    /// The copy to send, or why there is none.
    private func message(_ item: RedriveRepository.Payload, redrive: Redrive) -> Result<OutgoingMessage, SluiceError> {
        guard let queue = item.targetQueue, !queue.isEmpty else {
            return .failure(.permanent("redrive.no-queue", "the dead letter does not say which queue it failed in"))
        }
        var properties = item.properties
        for header in FaultHeader.failureHeaders { properties.headers[header] = nil }
        properties.headers[FaultHeader.redriveCount] = .int(Int64(item.redriveCount + 1))
        properties.headers[FaultHeader.redriveId] = .string(redrive.id)
        properties.headers[FaultHeader.deadLetterId] = .string(item.deadLetterId)
        properties.expiration = nil
        properties.persistent = true
        return .success(OutgoingMessage(exchange: "", routingKey: queue, body: item.body, properties: properties))
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// A token bucket: `rate` tokens a second, at most `capacity` saved up.
struct RateBucket: Sendable {
    var rate: Double
    var capacity: Double
    var tokens: Double = 1
    var at = Date()

    /// Adds what accrued since the last refill; returns the whole tokens available.
    mutating func refill() -> Int {
        let now = Date()
        tokens = min(capacity, tokens + rate * now.timeIntervalSince(at))
        at = now
        return Int(tokens)
    }

    mutating func take(_ count: Int) { tokens = max(0, tokens - Double(count)) }
}
