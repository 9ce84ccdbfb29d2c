import Contracts
import Logging
import ServiceLifecycle
import Storage

/// Opens once the service's migrations are applied; consumers and loops wait on it, so
/// nothing touches a table before it exists.
package actor StartupGate {
    package init() {}
    private var state: Result<Void, any Error>?
    private var waiters: [CheckedContinuation<Void, any Error>] = []

    package func wait() async throws {
        if let state { return try state.get() }
        try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    package func finish(_ result: Result<Void, any Error>) {
        state = result
        for waiter in waiters { waiter.resume(with: result) }
        waiters.removeAll()
    }

    package var isOpen: Bool { if case .success = state { true } else { false } }
}
