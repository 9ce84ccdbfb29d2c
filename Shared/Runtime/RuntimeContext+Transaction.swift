import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import Storage

extension RuntimeContext {
    /// Runs `body` in a transaction whose emitted messages go through the outbox: stored in
    /// the same commit, then published with confirms and marked sent (a moment later, with
    /// others: ``SentMarks``). If the process dies after the commit, the outbox relay
    /// publishes them.
    ///
    /// A transaction PostgreSQL chose as a deadlock's victim, or failed for serialization, is
    /// rolled back whole and run again (up to three times), so an API call that met a
    /// concurrent handler on the same rows answers as if alone. What `body` does outside the
    /// transaction and the emitter must bear running again, as it must for a redelivery.
    public func transaction<T: Sendable>(traceparent: String? = nil,
        _ body: @escaping @Sendable (PostgresConnection, Emitter) async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await transactionOnce(traceparent: traceparent, body)
            } catch let error as PSQLError where attempt < 3 && Self.isRetriableConflict(error) {
                logger.info("transaction lost a lock conflict; running it again",
                            metadata: ["attempt": "\(attempt)", "sqlstate": "\(error.serverInfo?[.sqlState] ?? "")"])
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 10...60) * attempt))
            }
        }
    }

    /// Deadlock detected (40P01) or a serialization failure (40001): nothing was written.
    static func isRetriableConflict(_ error: PSQLError) -> Bool {
        ["40P01", "40001"].contains(error.serverInfo?[.sqlState] ?? "")
    }

    private func transactionOnce<T: Sendable>(traceparent: String?,
        _ body: @escaping @Sendable (PostgresConnection, Emitter) async throws -> T) async throws -> T {
        let outputs = OutputCollector()
        let emitter = Emitter(outputs: outputs, topology: topology, traceparent: traceparent, producer: service)
        let logger = self.logger
        let (result, rows): (T, [Int64]) = try await database.transaction { connection in
            let result = try await body(connection, emitter)
            return (result, try await Outbox.enqueue(outputs.messages, on: connection, logger: logger))
        }
        guard !rows.isEmpty else { return result }
        let messages = outputs.messages
        do {
            try await publisher.publish(messages)
            for message in messages {
                metrics.increment("sluice_messages_published_total", ["service": service, "type": message.routingKey])
            }
            sentMarks.add(rows, database: database, logger: logger)
        } catch {
            // Committed: the rows are durable and the relay publishes them. The caused messages
            // are not lost, so the effect is not a failure (and must not be retried or filed).
            logger.warning("publish after commit failed; the outbox relay will send it",
                           metadata: ["error": "\(error)", "messages": "\(messages.count)"])
        }
        return result
    }
}
