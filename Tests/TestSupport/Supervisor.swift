import Foundation

/// Keeps a child service running the way systemd, Kubernetes or `sluice dev` would:
/// restarts it whenever it dies, counting the deaths by SIGKILL (crashes).
final class Supervisor: @unchecked Sendable {
    private let lock = NSLock()
    private var current: ServiceProcess
    private var killed = 0
    private var task: Task<Void, Never>?

    init(_ start: @escaping @Sendable () throws -> ServiceProcess) throws {
        current = try start()
        task = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                let dead = self.lock.withLock { self.current.isRunning ? nil : self.current }
                if let dead {
                    let crashed = dead.terminationSignal == SIGKILL
                    if let fresh = try? start() {
                        self.lock.withLock {
                            if crashed { self.killed += 1 }
                            self.current = fresh
                        }
                    }
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Deaths by SIGKILL so far.
    var crashes: Int { lock.withLock { killed } }

    /// Stops supervising and shuts the current process down gracefully.
    func stop() async {
        task?.cancel()
        task = nil
        await lock.withLock { current }.terminate()
    }
}
