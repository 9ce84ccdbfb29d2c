@testable import Consuming
import Contracts
import Foundation
import Messaging
import ObjectStorage
import PostgresNIO
@testable import Runtime
import Storage
@testable import TestSupport
import Testing
import Toolkit

/// An observer's batches against a real PostgreSQL (the broker in memory: the batches are the
/// dispatcher's logic, the transactions are the database's).
@Suite("Observer batches (real PostgreSQL)")
struct ObserverBatchTests {
    @Test("an observer commits many deliveries at once; one that fails is handled alone and the rest keep their effects once")
    func batches() async throws {
        try await TestEnvironment.withFreshSchema { database, _ in
            let logger = TestEnvironment.logger
            try await Migrator.migrate(database, [MigrationSet.runtime], logger: logger)
            try await database.query("CREATE TABLE seen (id text NOT NULL, xact bigint NOT NULL)", logger: logger)
            let broker = InMemoryBroker()
            let topology = SluiceTopology(prefix: "b", subscriptions: [.init(service: "metrics", keys: ["#"])])
            let policies = RetryPolicies(base: RetryPolicy(initialDelay: .milliseconds(50), multiplier: 2, maxDelay: .seconds(1),
                                                           jitter: 0, maxAttempts: 2))
            let declared = topology.all(policies: policies)
            let publisher = broker.makePublisher(name: "p", topology: declared, logger: logger)
            let gate = StartupGate()
            await gate.finish(.success(()))
            let runtime = RuntimeContext(service: "metrics", database: database, publisher: publisher, topology: topology,
                                         metrics: MetricsRegistry(), logger: logger, values: ConfigValues([:]),
                                         objects: LocalObjectStore(root: NSTemporaryDirectory() + "sluice-objects"), gate: gate)
            var handlers = MessageHandlers()
            handlers.observesOnly = true
            handlers.on(JobSubmit.self) { envelope, context in
                if envelope.id == "m-13" { throw SluiceError.permanent("test.bad", "this one is bad") }
                try await context.connection.query("INSERT INTO seen (id, xact) VALUES (\(envelope.id), txid_current())",
                                                   logger: context.logger)
            }
            let dispatcher = Dispatcher(runtime: runtime, consumer: broker.makeConsumer(name: "c", topology: declared, prefetch: 200,
                                                                                          logger: logger),
                                        handlers: handlers, policies: policies, concurrency: 2, gate: gate,
                                        timeouts: RuntimeTimeouts(), ledger: nil, batch: 16)
            let ids = (0..<60).map { "m-\($0)" }
            // Published before consuming starts, so the pool holds them all and batches fill.
            try await publisher.publish(try ids.map { id in
                try OutgoingMessage.event(Envelope(id: id, jobId: "job-\(Int(id.dropFirst(2))! % 3)", correlationId: id,
                                                   causationId: nil, producer: "test", payload: JobSubmit(source: .inline("a\n1\n"))),
                                          topology: topology)
            })
            let task = Task { try await dispatcher.run() }
            func rows() async throws -> [(String, Int64)] {
                var out: [(String, Int64)] = []
                for try await row in try await database.query("SELECT id, xact FROM seen", logger: logger).decode((String, Int64).self) {
                    out.append(row)
                }
                return out
            }
            // 0.7 s alone; the bound is for the full suite, where 2 cores run dozens of tests at once.
            let done = try await TestEnvironment.eventually(timeout: .seconds(120)) { try await rows().count >= 59 }
            #expect(done)
            try await Task.sleep(for: .milliseconds(500))
            let seen = try await rows()
            #expect(seen.count == 59 && Set(seen.map(\.0)) == Set(ids).subtracting(["m-13"]), "each good one once")
            let transactions = Set(seen.map(\.1)).count
            // The batch with the bad one is handled one by one (its 15 good ones alone); the other
            // 44 came in a few batches of up to 16.
            #expect(transactions <= 15 + 8, "59 deliveries in \(transactions) transactions")
            #expect(Dictionary(grouping: seen, by: \.1).values.contains { $0.count >= 8 }, "some transactions hold many")
            var claimed = 0
            for try await count in try await database.query("SELECT count(*)::int FROM inbox", logger: logger).decode(Int.self) {
                claimed = count
            }
            #expect(claimed == 59, "the bad one left no inbox claim")
            task.cancel()
            _ = await task.result
        }
    }

    @Test("outbox rows are marked sent a moment after their confirms, well before the relay would send them again")
    func sentMarks() async throws {
        try await TestEnvironment.withFreshSchema { database, _ in
            let logger = TestEnvironment.logger
            let runtime = try await TestEnvironment.memoryRuntime(service: "validate", database: database, prefix: "s")
            for index in 0..<5 {
                try await runtime.transaction { _, emitter in
                    try emitter.emit(Envelope(id: "m-\(index)", jobId: "job", correlationId: "job", causationId: nil, producer: "test",
                                              payload: JobSubmit(source: .inline("a\n1\n"))))
                }
            }
            func unsent() async throws -> Int {
                var count = -1
                for try await n in try await database.query("SELECT count(*)::int FROM outbox WHERE sent_at IS NULL",
                                                            logger: logger).decode(Int.self) { count = n }
                return count
            }
            let marked = try await TestEnvironment.eventually(timeout: .seconds(1), every: .milliseconds(20)) { try await unsent() == 0 }
            let left = try await unsent()
            #expect(marked, "\(left) of 5 rows still unmarked after 1 s (the relay re-sends after 3 s)")
        }
    }
}
