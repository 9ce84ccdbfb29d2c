import Logging
import Messaging
import ServiceLifecycle
import Storage

/// Publishes outbox rows that were committed but not sent (the process died between commit
/// and publish, or the broker was down). Rows younger than `minimumAge` are left to the
/// handler that wrote them. Replicas share the work through `FOR UPDATE SKIP LOCKED`.
package struct OutboxRelay: Service {
    let runtime: RuntimeContext
    let gate: StartupGate
    var interval: Duration = .milliseconds(500)
    var minimumAge: Duration = .seconds(3)
    /// Rows per claim. Kept small: a body can carry a tiny chunk (about 6 KB), and PostgresNIO
    /// 1.x stops the process when the server closes the connection while a long result waits
    /// for its reader (as a database restart does), so results stay short.
    var batchSize = 100

    package init(runtime: RuntimeContext, gate: StartupGate, interval: Duration = .milliseconds(500),
                 minimumAge: Duration = .seconds(3), batchSize: Int = 100) {
        self.runtime = runtime
        self.gate = gate
        self.interval = interval
        self.minimumAge = minimumAge
        self.batchSize = batchSize
    }

    package func run() async throws {
        try await gate.wait()
        var sincePurge = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let sent = try await relayOnce()
                if sent > 0 { runtime.logger.info("outbox relayed", metadata: ["messages": "\(sent)"]) }
                sincePurge += 1
                if sincePurge >= 1200 {
                    sincePurge = 0
                    try await Outbox.purge(sentBefore: .seconds(86_400), database: runtime.database, logger: runtime.logger)
                }
                if sent == batchSize { continue }
            } catch {
                runtime.logger.warning("outbox relay failed; will retry", metadata: ["error": "\(String(reflecting: error))"])
            }
            await sleepUnlessShuttingDown(for: interval)
        }
    }

    /// Relays one batch; returns how many messages were confirmed.
    package func relayOnce() async throws -> Int {
        let runtime = self.runtime
        let (minimumAge, batchSize) = (self.minimumAge, self.batchSize)
        return try await runtime.database.transaction { connection in
            let entries = try await Outbox.claimUnsent(olderThan: minimumAge, limit: batchSize,
                                                       on: connection, logger: runtime.logger)
            guard !entries.isEmpty else { return 0 }
            do {
                try await runtime.publisher.publish(try entries.map { try OutgoingMessage($0.message) })
            } catch TransportError.publishFailed(let failures) {
                // The others were confirmed: mark them sent; count an attempt on the failed ones.
                let failed = Set(failures.map(\.index))
                let sent = entries.enumerated().filter { !failed.contains($0.offset) }.map(\.element.id)
                try await Outbox.markSent(sent, on: connection, logger: runtime.logger)
                try await Outbox.recordFailure(failed.map { entries[$0].id }, error: failures.map(\.description)
                    .joined(separator: "; "), on: connection, logger: runtime.logger)
                runtime.logger.error("outbox rows not confirmed", metadata: ["failures": "\(failures)"])
                return sent.count
            }
            try await Outbox.markSent(entries.map(\.id), on: connection, logger: runtime.logger)
            return entries.count
        }
    }
}
