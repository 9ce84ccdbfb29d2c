import Foundation

/// A wait on another process (database, broker) that did not finish in time. Callers treat
/// it as transient: the outcome is unknown, so the work is retried, and idempotence (inbox,
/// deterministic ids) makes a late success harmless.
public struct DeadlineExceeded: Error, Sendable, CustomStringConvertible {
    /// What was being waited for.
    public var operation: String
    /// The bound that passed.
    public var timeout: Duration

    /// Describes the timed-out wait.
    public init(operation: String, timeout: Duration) {
        self.operation = operation
        self.timeout = timeout
    }

    public var description: String { "\(operation) did not finish within \(timeout)" }
}

/// Runs `operation` and returns its result, or throws ``DeadlineExceeded`` once `timeout`
/// has passed, whichever comes first; cancelling the caller cancels the operation too.
///
/// The race is unstructured on purpose: some awaits never resume and ignore cancellation
/// (postgres-nio drops a write to a connection that has just closed, and the query's
/// promise is never completed). A task group would wait for such a child forever; here the
/// caller is resumed, and the stuck operation is cancelled and left behind. Only wrap work
/// that is safe to abandon: a transaction that never reached COMMIT, a read.
public func withDeadline<T: Sendable>(_ timeout: Duration, _ operation: String,
                                      _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try Task.checkCancellation()  // a cancelled caller starts nothing
    let race = Race<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            race.start(continuation,
                       work: Task { race.finish(await Result(awaiting: body)) },
                       timer: Task {
                           try? await Task.sleep(for: timeout)
                           race.finish(.failure(DeadlineExceeded(operation: operation, timeout: timeout)))
                       })
        }
    } onCancel: {
        race.finish(.failure(CancellationError()))
    }
}

/// Runs `body` and returns its result, unless something interrupts it first: `install` is
/// given an ``Interruption`` to keep (e.g. in a close callback) and call with the error the
/// caller should see; an interruption after `body` finished is ignored. The race is
/// unstructured for the same reason as ``withDeadline(_:_:_:)``'s.
///
/// Cancelling the caller cancels `body` but does not end the wait by itself: the caller
/// must make sure something interrupts it (a transaction closes its connection), so that
/// whatever `body` holds is not handed on while `body` may still use it.
public func withInterruption<T: Sendable>(_ body: @escaping @Sendable () async throws -> T,
                                          install: (Interruption) -> Void) async throws -> T {
    let race = Race<T>()
    install(Interruption { race.finish(.failure($0)) })
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        race.start(continuation, work: Task { race.finish(await Result(awaiting: body)) }, timer: nil)
    }
}

/// Ends a ``withInterruption(_:install:)`` race early with an error.
public struct Interruption: Sendable {
    let action: @Sendable (any Error) -> Void
    /// Resumes the waiting caller with `error` (no effect once the race is over).
    public func interrupt(with error: any Error) { action(error) }
}

/// The first result wins; the loser is cancelled.
private final class Race<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var early: Result<T, any Error>?
    private var tasks: [Task<Void, Never>] = []

    func start(_ continuation: CheckedContinuation<T, any Error>, work: Task<Void, Never>, timer: Task<Void, Never>?) {
        let result: Result<T, any Error>? = lock.withLock {
            tasks = [work] + (timer.map { [$0] } ?? [])
            if let early { return early }
            self.continuation = continuation
            return nil
        }
        if let result {
            work.cancel()
            timer?.cancel()
            continuation.resume(with: result)
        }
    }

    func finish(_ result: Result<T, any Error>) {
        let (continuation, tasks) = lock.withLock { () -> (CheckedContinuation<T, any Error>?, [Task<Void, Never>]) in
            guard early == nil else { return (nil, []) }
            early = result
            defer {
                self.continuation = nil
                self.tasks = []  // no task ↔ race cycle once it is over
            }
            return (self.continuation, self.tasks)
        }
        for task in tasks { task.cancel() }
        continuation?.resume(with: result)
    }
}

extension Result where Failure == any Error {
    /// Captures the outcome of an async throwing call.
    public init(awaiting body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
