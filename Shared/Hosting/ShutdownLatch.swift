import ServiceLifecycle
import Toolkit

/// Tells a ``ServiceHost`` that shutdown has begun and lets it stop waiting for a group
/// that will not finish: the two facts its shutdown deadline needs.
final class ShutdownLatch: Sendable {
    private struct State {
        var begun = false
        var ended = false
        var beginWaiters: [CheckedContinuation<Void, Never>] = []
        var endWaiter: CheckedContinuation<Void, Never>?
    }

    private let state = LockedValue(State())

    /// Shutdown has begun (a signal, ``ServiceHost/shutdown()``, or a member ending).
    func begin() {
        let waiters = state.update { state -> [CheckedContinuation<Void, Never>] in
            state.begun = true
            defer { state.beginWaiters = [] }
            return state.beginWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once shutdown has begun, or when the caller is cancelled.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.update { state -> Bool in
                    if state.begun || Task.isCancelled { return true }
                    state.beginWaiters.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            begin()
        }
    }

    /// Returns when `task` finishes or ``expire()`` is called, whichever comes first.
    func waitForEnd<T>(of task: Task<T, Never>) async {
        let watcher = Task { _ = await task.value; self.expire() }
        await withCheckedContinuation { continuation in
            let now = state.update { state -> Bool in
                if state.ended { return true }
                state.endWaiter = continuation
                return false
            }
            if now { continuation.resume() }
        }
        watcher.cancel()
    }

    /// Stops ``waitForEnd(of:)`` waiting.
    func expire() {
        let waiter = state.update { state -> CheckedContinuation<Void, Never>? in
            state.ended = true
            defer { state.endWaiter = nil }
            return state.endWaiter
        }
        waiter?.resume()
    }
}

/// The group's last member: the first told of a graceful shutdown, it only reports it.
struct ShutdownWatch: Service {
    let latch: ShutdownLatch

    func run() async throws {
        try? await gracefulShutdown()
        latch.begin()
    }
}
