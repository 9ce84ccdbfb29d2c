@testable import Consuming
import Contracts
import Foundation
import Logging
import Messaging
import ObjectStorage
@testable import Runtime
import Storage
import Toolkit

/// One dispatcher (as the `ingest` service, prefix `u`) on an in-memory broker, with an
/// in-memory delivery ledger: the dispatcher's rules, tested without any server. Only
/// direct handlers run here (transactional ones need PostgreSQL: integration tests).
final class DispatchHarness: @unchecked Sendable {
    static let logger = Logger(label: "dispatch-test")
    let broker = InMemoryBroker()
    let topology = SluiceTopology(prefix: "u", subscriptions: [.init(service: "ingest", keys: ["job.submit"])])
    let ledger = MemoryLedger()
    let metrics = MetricsRegistry()
    let publisher: any MessagePublisher
    let dispatcher: Dispatcher
    private var task: Task<Void, any Error>?

    /// Retries wait 100 ms, then 200 ms; three attempts in all.
    static let quickRetry = RetryPolicy(initialDelay: .milliseconds(100), multiplier: 2, maxDelay: .seconds(1),
                                        jitter: 0, maxAttempts: 3)

    init(handlers: MessageHandlers, policy: RetryPolicy = quickRetry, timeouts: RuntimeTimeouts = RuntimeTimeouts(),
         concurrency: Int = 4, hooks: DispatchHooks = DispatchHooks()) async {
        let policies = RetryPolicies(base: policy)
        let declared = topology.all(policies: policies)
        publisher = broker.makePublisher(name: "p", topology: declared, logger: Self.logger)
        let consumer = broker.makeConsumer(name: "c", topology: declared, prefetch: 50, logger: Self.logger)
        let gate = StartupGate()
        await gate.finish(.success(()))
        // Never run: a direct handler has no use for the database.
        let database = Database(config: .local(service: "ingest"), logger: Self.logger)
        let runtime = RuntimeContext(service: "ingest", database: database, publisher: publisher, topology: topology,
                                     metrics: metrics, logger: Self.logger, values: ConfigValues([:]),
                                     objects: LocalObjectStore(root: NSTemporaryDirectory() + "sluice-objects"), gate: gate)
        dispatcher = Dispatcher(runtime: runtime, consumer: consumer, handlers: handlers, policies: policies,
                                concurrency: concurrency, gate: gate, hooks: hooks, timeouts: timeouts, ledger: ledger)
    }

    func start() {
        let dispatcher = self.dispatcher
        task = Task { try await dispatcher.run() }
    }

    /// Cancels the dispatcher (as the shutdown deadline does) and waits for it to return.
    func stop() async {
        task?.cancel()
        _ = await task?.result
    }

    /// A `job.submit` envelope with message id `id`, as an outgoing message.
    func submission(_ id: String, priority: Priority? = nil) throws -> OutgoingMessage {
        let envelope = Envelope(id: id, jobId: id, correlationId: id, causationId: nil, producer: "test",
                                priority: priority, payload: JobSubmit(jobId: id, source: .inline("a\n1\n")))
        return try OutgoingMessage.event(envelope, topology: topology)
    }

    func publish(_ ids: [String]) async throws {
        try await publisher.publish(try ids.map { try submission($0) })
    }

    var workQueue: String { topology.queue("ingest") }
    var deadLetterQueue: String { topology.deadLetterQueue("ingest") }

    /// Waits for `count` dead letters (or `timeout`) and returns what arrived.
    func deadLetters(_ count: Int, timeout: Duration = .seconds(30)) async throws -> [Delivery] {
        try await collect(from: deadLetterQueue, count, timeout: timeout)
    }

    /// Consumes `queue` (acking) until `count` deliveries arrived or `timeout` passed.
    func collect(from queue: String, _ count: Int, timeout: Duration = .seconds(30)) async throws -> [Delivery] {
        let consumer = broker.makeConsumer(name: "collect", topology: Topology(), prefetch: 100, logger: Self.logger)
        try await consumer.consume(queues: [queue])
        let got = LockedValue<[Delivery]>([])
        let drain = Task {
            for await batch in consumer.deliveries {
                got.update { $0 += batch }
                consumer.ack(batch)
            }
        }
        let deadline = ContinuousClock.now + timeout
        while got.get().count < count && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        drain.cancel()
        await consumer.close()
        return got.get()
    }
}

/// Redelivery counts in memory (the dispatcher's ``DeliveryLedger`` seam).
final class MemoryLedger: DeliveryLedger, @unchecked Sendable {
    private let counts = LockedValue<[String: Int]>([:])

    func preset(_ key: String, queue: String, to count: Int) { counts.update { $0["\(queue)|\(key)"] = count } }
    func count(_ key: String, queue: String) -> Int { counts.get()["\(queue)|\(key)"] ?? 0 }

    func record(_ key: String, queue: String) async throws -> Int {
        counts.update { counts in
            counts["\(queue)|\(key)", default: 0] += 1
            return counts["\(queue)|\(key)"]!
        }
    }

    func forget(_ key: String, queue: String) async throws {
        counts.update { $0["\(queue)|\(key)"] = nil }
    }
}

/// What the dispatcher handed over, in order (recorded by a ``DispatchHooks`` hook).
final class DeliveryLog: @unchecked Sendable {
    private let entries = LockedValue<[Delivery]>([])

    var all: [Delivery] { entries.get() }
    var hooks: DispatchHooks { DispatchHooks { delivery, _ in self.entries.update { $0.append(delivery) } } }
    func ids() -> [String] { all.compactMap(\.properties.messageId) }
}
