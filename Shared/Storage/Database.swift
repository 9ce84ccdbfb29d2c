import Logging
import PostgresNIO
import ServiceLifecycle

/// A pooled PostgreSQL client bound to one service's schema. Run it in the service group.
public final class Database: Service, Sendable {
    /// The underlying postgres-nio client, for queries and transactions.
    public let client: PostgresClient
    /// The configuration it was built from.
    public let config: DatabaseConfig
    let logger: Logger

    /// Creates the pool; connections open lazily once ``run()`` is running.
    public init(config: DatabaseConfig, logger: Logger) {
        var configuration = PostgresClient.Configuration(
            host: config.host, port: config.port, username: config.user, password: config.password,
            database: config.database, tls: config.tls ? .require(.makeClientConfiguration()) : .disable)
        configuration.options.additionalStartupParameters = [("search_path", config.schema)]
        configuration.options.maximumConnections = config.maxConnections
        configuration.options.connectTimeout = .seconds(5)
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.config = config
        self.logger = logger
    }

    /// Runs the pool until cancelled or shut down.
    public func run() async throws {
        try await client.run()
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// The error `body` threw is rethrown as is (postgres-nio wraps it), so callers can still
    /// tell a permanent input error from a transient one.
    public func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError, error.rollbackError == nil { throw closureError }
            if let underlying = error.beginError ?? error.commitError ?? error.rollbackError { throw underlying }
            throw error
        }
    }

    /// True when a trivial query succeeds (used by `/ready`).
    public func isReachable() async -> Bool {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.client.query("SELECT 1", logger: self.logger) }
                group.addTask {
                    try await Task.sleep(for: .seconds(2))
                    throw CancellationError()
                }
                try await group.next()
                group.cancelAll()
            }
            return true
        } catch {
            return false
        }
    }
}
