import Dispatch
import Foundation

/// A continuation that the AMQP thread or a timer may resume, whichever comes first; the
/// other's resume is ignored. This bounds every wait on the broker without asking the
/// connection's thread to keep timers: a confirm that arrives after the deadline is dropped.
final class Rendezvous: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, any Error>?

    private init(_ continuation: CheckedContinuation<Void, any Error>) { self.continuation = continuation }

    /// Resumes the waiter normally (first resume wins).
    func resume() { take()?.resume() }

    /// Resumes the waiter with `error` (first resume wins).
    func resume(throwing error: any Error) { take()?.resume(throwing: error) }

    private func take() -> CheckedContinuation<Void, any Error>? {
        lock.withLock {
            defer { continuation = nil }
            return continuation
        }
    }

    /// Hands a rendezvous to `start` and waits for it, at most `timeout`; then fails with
    /// ``TransportError/timedOut(_:)`` describing `what`.
    static func wait(timeout: Duration, _ what: String, _ start: (Rendezvous) -> Void) async throws {
        try Task.checkCancellation()
        let box = LockedBox()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let rendezvous = Rendezvous(continuation)
                box.set(rendezvous)
                let (seconds, attoseconds) = timeout.components
                let nanoseconds = Int(clamping: seconds) &* 1_000_000_000 &+ Int(attoseconds / 1_000_000_000)
                DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
                    rendezvous.resume(throwing: TransportError.timedOut("\(what) took longer than \(timeout)"))
                }
                start(rendezvous)
            }
        } onCancel: {
            box.cancel()
        }
    }

    /// Holds the rendezvous for a cancellation that may come before or after it exists.
    private final class LockedBox: @unchecked Sendable {
        private let lock = NSLock()
        private var rendezvous: Rendezvous?
        private var cancelled = false

        func set(_ rendezvous: Rendezvous) {
            let cancelNow = lock.withLock { () -> Bool in
                self.rendezvous = rendezvous
                return cancelled
            }
            if cancelNow { rendezvous.resume(throwing: CancellationError()) }
        }

        func cancel() {
            let rendezvous = lock.withLock { () -> Rendezvous? in
                cancelled = true
                return self.rendezvous
            }
            rendezvous?.resume(throwing: CancellationError())
        }
    }
}
