import Logging
import Runtime
import ServiceLifecycle
import Storage

/// Applies migrations once the pool runs, retrying while the database is unreachable, then
/// opens the gate and idles until shutdown.
struct MigrationService: Service {
    let database: Database
    let sets: [MigrationSet]
    let gate: StartupGate
    let logger: Logger
    /// Runs after the migrations and before the gate opens (e.g. seeding reference data
    /// that handlers rely on from their first message).
    var prepare: (@Sendable () async throws -> Void)?

    func run() async throws {
        var delay = Duration.milliseconds(200)
        while true {
            do {
                try await Migrator.migrate(database, sets, logger: logger)
                try await prepare?()
                await gate.finish(.success(()))
                break
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully {
                    await gate.finish(.failure(CancellationError()))
                    return
                }
                logger.warning("database not ready; retrying migrations", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        try? await gracefulShutdown()
    }
}
