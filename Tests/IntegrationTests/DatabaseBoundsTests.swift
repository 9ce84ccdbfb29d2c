import Foundation
import PostgresNIO
import Storage
@testable import TestSupport
import Testing
import Toolkit

/// The database's bounded waits against a real PostgreSQL.
@Suite("Database bounds (real PostgreSQL)")
struct DatabaseBoundsTests {
    let env = TestEnvironment.self

    @Test("a cancelled transaction returns at once and closes its connection, so no one else gets it mid-use")
    func cancelledTransactionClosesItsConnection() async throws {
        try await env.withFreshSchema { database, _ in
            let used = LockedValue<PostgresConnection?>(nil)
            let logger = env.logger
            let task = Task {
                try await database.transaction { connection in
                    used.set(connection)
                    try await connection.query("SELECT pg_sleep(30)", logger: logger)
                }
            }
            _ = try await env.eventually(timeout: .seconds(10), every: .milliseconds(10)) { used.get() != nil }
            try await Task.sleep(for: .milliseconds(200))  // the sleep is running on the server
            let cancelled = ContinuousClock.now
            task.cancel()
            _ = await task.result
            #expect(ContinuousClock.now - cancelled < .seconds(5), "cancellation ends the wait")
            // Closing is asynchronous; the lease goes back only once it is done.
            let closed = try await env.eventually(timeout: .seconds(5), every: .milliseconds(10)) {
                used.get()?.isClosed == true
            }
            #expect(closed, "the connection was closed, not handed back mid-transaction")
            // The pool carries on with other connections.
            let answer = try await database.transaction { connection in
                var value = 0
                for try await v in try await connection.query("SELECT 42", logger: logger).decode(Int.self) { value = v }
                return value
            }
            #expect(answer == 42)
        }
    }

    @Test("a transaction past its bound fails as a timeout and says where it was stuck")
    func transactionBound() async throws {
        try await env.withFreshSchema { database, _ in
            var config = database.config
            config.transactionTimeout = .seconds(3)
            let logger = env.logger
            try await env.withDatabase(config) { bounded in
                // Warm the pool first, so the bound is spent in the statement, not in connecting
                // on a busy machine; retried, as under a full test run's load even this commit
                // once took the whole bound.
                for attempt in 1...5 {
                    do {
                        _ = try await bounded.transaction { connection in try await connection.query("SELECT 1", logger: logger) }
                        break
                    } catch where attempt < 5 {
                        continue
                    }
                }
                let started = ContinuousClock.now
                await #expect {
                    try await bounded.transaction { connection in
                        try await connection.query("SELECT pg_sleep(30)", logger: logger)
                    }
                } throws: { error in
                    guard let exceeded = error as? DeadlineExceeded else { return false }
                    return exceeded.operation.contains("stuck in the transaction's statements")
                }
                #expect(ContinuousClock.now - started < .seconds(15))
            }
        }
    }
}
