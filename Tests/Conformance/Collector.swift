import Foundation
import Messaging

/// Drains a consumer's deliveries in the background so a case can wait for counts.
final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [Delivery] = []
    private var task: Task<Void, Never>?

    /// Starts collecting; acks each batch unless `ack` is false.
    init(_ consumer: any MessageConsumer, ack: Bool = true) {
        task = Task { [weak self] in
            for await batch in consumer.deliveries {
                self?.lock.withLock { self?.received.append(contentsOf: batch) }
                if ack { consumer.ack(batch) }
            }
        }
    }

    deinit { task?.cancel() }

    var deliveries: [Delivery] { lock.withLock { received } }

    /// Waits until at least `count` deliveries arrived (or `timeout`); returns them all.
    @discardableResult
    func wait(for count: Int, timeout: Duration = .seconds(20)) async throws -> [Delivery] {
        let deadline = ContinuousClock.now + timeout
        while deliveries.count < count {
            guard ContinuousClock.now < deadline else {
                throw ConformanceFailure("expected \(count) deliveries within \(timeout), got \(deliveries.count)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return deliveries
    }

    /// Waits `period` and returns what arrived meanwhile (for "nothing more arrives" checks).
    func settle(for period: Duration = .milliseconds(700)) async throws -> [Delivery] {
        try await Task.sleep(for: period)
        return deliveries
    }
}

/// A broken promise of the transport contract.
public struct ConformanceFailure: Error, CustomStringConvertible {
    /// What was expected and what happened.
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Fails the case with `message` unless `condition` holds.
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw ConformanceFailure(message()) }
}
