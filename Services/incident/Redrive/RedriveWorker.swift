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
/// It also seeds the known-error catalog once at start (it is the service's one loop).
struct RedriveWorker: Service {
    let runtime: RuntimeContext
    let settings: IncidentSettings

    /// Largest batch published at once.
    static let batch = 200

    func run() async throws {
        try await runtime.waitUntilReady()
        await seedCatalog()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do { try await tick() } catch {
                runtime.logger.warning("re-drive tick failed; will retry", metadata: ["error": "\(error)"])
            }
            await sleepUnlessShuttingDown(for: settings.redriveTick)
        }
    }

    private func seedCatalog() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                return try await KnownErrorRepository(runtime: runtime).seed(KnownErrorCatalog.defaults)
            } catch {
                runtime.logger.warning("cannot store the built-in known errors yet", metadata: ["error": "\(error)"])
                await sleepUnlessShuttingDown(for: .seconds(1))
            }
        }
    }

    func tick() async throws {
        let repository = RedriveRepository(runtime: runtime)
        for (redrive, startedAt) in try await repository.active() {
            switch redrive.state {
            case "canary":
                guard let canary = try await repository.canary(redrive.id) else { continue }
                if canary.state == "pending" {
                    try await send(try await repository.pending(redrive.id, limit: 1), redrive: redrive)
                } else if canary.state == "sent", let sent = canary.sentAt,
                          Date().timeIntervalSince(sent) > settings.canaryTimeout.seconds {
                    try await runtime.transaction { connection, emitter in
                        try await RedriveLedger(runtime: runtime).stop(redrive,
                            reason: "the canary's outcome did not arrive within \(Int(settings.canaryTimeout.seconds)) s; is \(redrive.incidentId == nil ? "the service" : "its service") running?",
                            actor: "system", on: connection, emitter: emitter)
                    }
                }
            case "running":
                let elapsed = Date().timeIntervalSince(startedAt ?? Date())
                let owed = Int(redrive.rate * elapsed) + 1 + (redrive.canary ? 1 : 0) - redrive.sent
                let items = owed > 0 ? try await repository.pending(redrive.id, limit: min(owed, Self.batch)) : []
                if items.isEmpty && redrive.sent >= redrive.total {
                    try await runtime.transaction { connection, emitter in
                        try await RedriveLedger(runtime: runtime).finishIfDone(redrive.id, on: connection, emitter: emitter)
                    }
                } else {
                    try await send(items, redrive: redrive)
                }
            default:
                continue
            }
        }
    }

    private func send(_ items: [RedriveRepository.Payload], redrive: Redrive) async throws {
        guard !items.isEmpty else { return }
        var sendable: [(id: String, message: OutgoingMessage)] = []
        var unsendable: [(id: String, error: String)] = []
        for item in items {
            switch message(item, redrive: redrive) {
            case .success(let message): sendable.append((item.deadLetterId, message))
            case .failure(let error): unsendable.append((item.deadLetterId, error.message))
            }
        }
        var sent: [String] = []
        do {
            try await runtime.publisher.publish(sendable.map(\.message))
            sent = sendable.map(\.id)
        } catch AMQPError.publishFailed {
            // Find the ones the broker refuses (e.g. their queue was deleted); send the rest.
            for (id, message) in sendable {
                do {
                    try await runtime.publisher.publish(message)
                    sent.append(id)
                } catch AMQPError.publishFailed(let failures) {
                    unsendable.append((id, "cannot publish to queue \(message.routingKey): \(failures)"))
                }
            }
        }
        try await RedriveRepository(runtime: runtime).markSent(redrive.id, sent)
        runtime.metrics.increment("sluice_redriven_messages_total", ["service": "incident"], by: Double(sent.count))
        for (deadLetterId, error) in unsendable {
            try await runtime.transaction { connection, emitter in
                try await RedriveLedger(runtime: runtime).failed(redriveId: redrive.id, deadLetterId: deadLetterId,
                                                                 error: error, supersededBy: nil, on: connection,
                                                                 emitter: emitter)
            }
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
