import Contracts
import Foundation
import Messaging
import ServiceLifecycle
import ServiceRuntime

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
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do { try await tick() } catch {
                runtime.logger.warning("re-drive tick failed; will retry", metadata: ["error": "\(error)"])
            }
            await sleepUnlessShuttingDown(for: settings.redriveTick)
        }
    }

    func tick() async throws {
        let repository = RedriveRepository(runtime: runtime)
        for (redrive, _) in try await repository.active() {
            switch redrive.state {
            case "canary":
                guard let canary = try await repository.canary(redrive.id) else { continue }
                if canary.state == "pending" {
                    try await send(redrive.id, limit: { _, _ in 1 })
                } else if canary.state == "sent", let sent = canary.sentAt,
                          Date().timeIntervalSince(sent) > settings.canaryTimeout.seconds {
                    try await runtime.transaction { connection, emitter in
                        try await RedriveLedger(runtime: runtime).stop(redrive,
                            reason: "the canary's outcome did not arrive within \(Int(settings.canaryTimeout.seconds)) s; is its service running?",
                            actor: "system", on: connection, emitter: emitter)
                    }
                }
            case "running":
                if redrive.sent >= redrive.total {
                    try await runtime.transaction { connection, emitter in
                        try await RedriveLedger(runtime: runtime).finishIfDone(redrive.id, on: connection, emitter: emitter)
                    }
                    continue
                }
                // The rate counts from when sending started; after a pause (a restart) it
                // resumes at the rate instead of catching up in a burst.
                let perTick = max(1, Int((redrive.rate * settings.redriveTick.seconds * 2).rounded(.up)))
                try await send(redrive.id) { current, startedAt in
                    let elapsed = Date().timeIntervalSince(startedAt ?? Date())
                    let owed = Int(current.rate * elapsed) + 1 + (current.canary ? 1 : 0) - current.sent
                    return min(owed, perTick, Self.batch)
                }
            default:
                continue
            }
        }
    }

    /// Sends the next items of a re-drive, holding a lock on it for the duration, so two
    /// incident replicas never send the same re-drive at once (and never double its rate).
    /// `limit` decides how many, from the re-drive as read under the lock.
    private func send(_ redriveId: String, limit: @escaping @Sendable (Redrive, Date?) -> Int) async throws {
        let repository = RedriveRepository(runtime: runtime)
        let unsendable = try await runtime.database.transaction { connection -> [(id: String, error: String)] in
            guard try await repository.lock(redriveId, on: connection),
                  let (redrive, startedAt) = try await repository.progress(redriveId, on: connection),
                  redrive.state == "canary" || redrive.state == "running" else { return [] }
            let count = limit(redrive, startedAt)
            guard count > 0 else { return [] }
            let items = try await repository.pending(redriveId, limit: count, on: connection)
            // Marked first, in this transaction: an outcome arriving before the commit waits
            // for it and then finds the item sent. If the publish fails, all of it rolls back.
            try await repository.markSent(redriveId, items.map(\.deadLetterId), on: connection)
            let (sent, unsendable) = try await publish(items, redrive: redrive)
            runtime.metrics.increment("sluice_redriven_messages_total", ["service": "incident"], by: Double(sent.count))
            return unsendable
        }
        // Settled after the lock's transaction: the ledger updates the same re-drive row.
        for (deadLetterId, error) in unsendable {
            try await runtime.transaction { connection, emitter in
                try await RedriveLedger(runtime: runtime).failed(redriveId: redriveId, deadLetterId: deadLetterId,
                                                                 error: error, supersededBy: nil, on: connection,
                                                                 emitter: emitter)
            }
        }
    }

    /// Publishes the copies (confirmed); returns what went and what cannot go, with why.
    private func publish(_ items: [RedriveRepository.Payload], redrive: Redrive) async throws
        -> (sent: [String], unsendable: [(id: String, error: String)]) {
        var sendable: [(id: String, message: OutgoingMessage)] = []
        var unsendable: [(id: String, error: String)] = []
        for item in items {
            switch message(item, redrive: redrive) {
            case .success(let message): sendable.append((item.deadLetterId, message))
            case .failure(let error): unsendable.append((item.deadLetterId, error.message))
            }
        }
        guard !sendable.isEmpty else { return ([], unsendable) }
        do {
            try await runtime.publisher.publish(sendable.map(\.message))
            return (sendable.map(\.id), unsendable)
        } catch AMQPError.publishFailed {
            // Find the ones the broker refuses (e.g. their queue was deleted); send the rest.
            var sent: [String] = []
            for (id, message) in sendable {
                do {
                    try await runtime.publisher.publish(message)
                    sent.append(id)
                } catch AMQPError.publishFailed(let failures) {
                    unsendable.append((id, "cannot publish to queue \(message.routingKey): \(failures)"))
                }
            }
            return (sent, unsendable)
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
