import Conformance
import Foundation
import Messaging

/// Drains a consumer's delivery stream in the background so tests can wait for counts.
final class DeliveryCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [Delivery] = []
    private var task: Task<Void, Never>?

    /// Starts collecting; acks each delivery unless `ack` is false.
    init(_ consumer: AMQPConsumer, ack: Bool = true) {
        task = Task { [weak self] in
            for await batch in consumer.deliveries {
                self?.lock.withLock { self?.received.append(contentsOf: batch) }
                if ack { consumer.ack(batch) }
            }
        }
    }

    deinit { task?.cancel() }

    var deliveries: [Delivery] { lock.withLock { received } }

    /// Waits until at least `count` deliveries arrived; returns them.
    func wait(for count: Int, timeout: Duration = .seconds(20)) async throws -> [Delivery] {
        _ = try await TestEnvironment.eventually(timeout: timeout, every: .milliseconds(20)) { deliveries.count >= count }
        return deliveries
    }
}

/// A small topology per test: the conformance suite's (`<p>.x` → `<p>.q`, dead-lettering to
/// `<p>.dlq`), named from a fresh prefix.
typealias TestTopology = ConformanceTopology

extension ConformanceTopology {
    /// A topology with a unique prefix.
    init() { self.init(prefix: TestEnvironment.uniquePrefix("m")) }
}
