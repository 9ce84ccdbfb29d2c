import Contracts
import Foundation
import PostgresNIO
@testable import Runtime
import Storage
@testable import TestSupport
import Testing
import Toolkit

/// `RuntimeContext.transaction` against a real PostgreSQL: a transaction chosen as a
/// deadlock's victim runs again, whole, so an API call that meets a handler on the same rows
/// answers as if alone.
@Suite("Transaction conflicts (real PostgreSQL)")
struct TransactionConflictTests {
    @Test("two transactions locking two rows in opposite orders both commit once; the victim's messages are not doubled")
    func deadlockVictimRunsAgain() async throws {
        try await TestEnvironment.withFreshSchema { database, _ in
            let logger = TestEnvironment.logger
            let runtime = try await TestEnvironment.memoryRuntime(service: "gateway", database: database, prefix: "d")
            try await database.query("CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)", logger: logger)
            try await database.query("INSERT INTO counters VALUES (1, 0), (2, 0)", logger: logger)
            let attempts = LockedValue(0)
            // Each takes its first row, waits for the other to take its own, then wants the other's.
            @Sendable func cross(_ first: Int, _ second: Int) async throws {
                try await runtime.transaction { connection, emitter in
                    attempts.update { $0 += 1 }
                    try await connection.query("UPDATE counters SET n = n + 1 WHERE id = \(first)", logger: logger)
                    try await connection.query("SELECT pg_sleep(0.5)", logger: logger)
                    try await connection.query("UPDATE counters SET n = n + 1 WHERE id = \(second)", logger: logger)
                    try emitter.emit(Envelope(id: "m-\(first)", jobId: "job", correlationId: "job", causationId: nil, producer: "test",
                                              payload: JobSubmit(source: .inline("a\n1\n"))))
                }
            }
            async let one: Void = cross(1, 2)
            async let two: Void = cross(2, 1)
            _ = try await (one, two)
            #expect(attempts.get() == 3, "one of them ran twice")
            var counts: [Int] = []
            for try await n in try await database.query("SELECT n FROM counters ORDER BY id", logger: logger).decode(Int.self) {
                counts.append(n)
            }
            #expect(counts == [2, 2], "each committed its two increments once: \(counts)")
            var ids: [String] = []
            for try await id in try await database.query("SELECT message_id FROM outbox ORDER BY message_id",
                                                          logger: logger).decode(String.self) {
                ids.append(id)
            }
            #expect(ids == ["m-1", "m-2"], "\(ids)")
        }
    }
}
