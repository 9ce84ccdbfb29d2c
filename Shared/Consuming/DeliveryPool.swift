import Contracts
import Foundation
import Messaging

/// Deliveries received and not yet started, between the broker's batches and the
/// dispatcher's handler slots. The broker hands over whatever each lane's prefetch allows;
/// the dispatcher takes one delivery each time a slot frees, by lane weight
/// (``LaneScheduler``), so urgent work that arrives while a slow batch runs starts at the
/// next free slot instead of after the batch.
final class DeliveryPool: @unchecked Sendable {
    private let lock = NSLock()
    private var scheduler: LaneScheduler<Delivery>
    private var finished = false
    private var waiter: CheckedContinuation<Void, Never>?
    private let lane: @Sendable (Delivery) -> Priority

    /// A pool serving lanes by `weights`; `lane` says which lane a delivery belongs to.
    init(weights: LaneWeights, lane: @escaping @Sendable (Delivery) -> Priority) {
        scheduler = LaneScheduler(weights: weights)
        self.lane = lane
    }

    /// Adds a batch from the broker and wakes the dispatcher if it waits.
    func add(_ batch: [Delivery]) {
        let waiting: CheckedContinuation<Void, Never>? = lock.withLock {
            for delivery in batch { scheduler.append(delivery, lane: lane(delivery)) }
            defer { waiter = nil }
            return waiter
        }
        waiting?.resume()
    }

    /// No more deliveries will come (consuming stopped); wakes the dispatcher.
    func finish() {
        let waiting: CheckedContinuation<Void, Never>? = lock.withLock {
            finished = true
            defer { waiter = nil }
            return waiter
        }
        waiting?.resume()
    }

    /// The next delivery to start, if one waits.
    func take() -> Delivery? { lock.withLock { scheduler.next() } }

    /// Whether nothing waits and nothing more will come.
    var isDrained: Bool { lock.withLock { finished && scheduler.isEmpty } }

    /// Whether nothing waits right now.
    var isEmpty: Bool { lock.withLock { scheduler.isEmpty } }

    /// How many deliveries wait right now.
    var count: Int { lock.withLock { scheduler.count } }

    /// Returns once a delivery waits, consuming has stopped, or the task is cancelled.
    /// One caller at a time (the dispatcher's loop).
    func arrival() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = lock.withLock {
                    if finished || !scheduler.isEmpty || Task.isCancelled { return true }
                    waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            finish()
        }
    }
}
