import Logging
import PostgresNIO
import ServiceLifecycle
import Toolkit

/// A pooled PostgreSQL client bound to one service's schema. Run it in the service group.
///
/// Every wait on the server is bounded (``DatabaseConfig/queryTimeout`` for a lease and a
/// statement, ``DatabaseConfig/transactionTimeout`` for a whole transaction); a wait past
/// its bound throws ``DeadlineExceeded``, which the runtime treats as transient. Use
/// ``query(_:)`` and ``transaction(_:)`` rather than ``client``: they also step around a
/// postgres-nio hazard (below) that once wedged every consumer after a server restart.
///
/// The hazard: a statement written to a connection whose socket has just closed is dropped
/// without completing its promise, so the await never resumes (postgres-nio 1.33; see
/// `docs/architecture.md`). After an immediate restart that happened to the `ROLLBACK`
/// sent after a failed statement, and to the first statement on a dead pooled connection.
/// So a transaction here is interrupted the moment its connection closes
/// (``ConnectionCloseWatch``), checks the connection before each statement it sends itself,
/// and never sends `ROLLBACK` on a closed connection (the server has already rolled back).
public final class Database: Service, Sendable {
    /// The underlying postgres-nio client. Prefer ``query(_:)`` and ``transaction(_:)``.
    public let client: PostgresClient
    /// The configuration it was built from.
    public let config: DatabaseConfig
    let logger: Logger
    let closeWatch = ConnectionCloseWatch()

    /// Creates the pool; connections open lazily once ``run()`` is running.
    public init(config: DatabaseConfig, logger: Logger) {
        var configuration = PostgresClient.Configuration(
            host: config.host, port: config.port, username: config.user, password: config.password,
            database: config.database, tls: config.tls ? .require(.makeClientConfiguration()) : .disable)
        configuration.options.additionalStartupParameters = [("search_path", config.schema)]
        configuration.options.maximumConnections = config.maxConnections
        // At least one connection always: with none, a lease waiting on a connection that
        // dies is never given a new one (postgres-nio #657).
        configuration.options.minimumConnections = max(1, min(config.minConnections, config.maxConnections))
        configuration.options.connectTimeout = .seconds(5)
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.config = config
        self.logger = logger
    }

    /// Runs the pool until cancelled or shut down.
    public func run() async throws {
        try await client.run()
    }

    /// Runs `query` on a pooled connection, the lease and the statement bounded by
    /// ``DatabaseConfig/queryTimeout``. The rows stream after it returns.
    public func query(_ query: PostgresQuery, logger: Logger? = nil) async throws -> PostgresRowSequence {
        let (client, logger) = (self.client, logger ?? self.logger)
        return try await withDeadline(config.queryTimeout, "database query") {
            try await client.query(query, logger: logger)
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws,
    /// all within ``DatabaseConfig/transactionTimeout``. The error `body` threw is rethrown
    /// as is, so callers can still tell a permanent input error from a transient one.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T)
        async throws -> T {
        let (client, logger) = (self.client, self.logger)
        let phase = LockedValue("waiting for a pooled connection")
        do {
            return try await withDeadline(config.transactionTimeout, "database transaction") { [closeWatch] in
                // The pool can hand out a connection that has just closed (a cancelled
                // transaction's, or one cut by a server restart) before it has noticed the
                // close; nothing has been sent on it yet, so take another.
                var stale = 0
                while true {
                    do {
                        return try await Self.leaseOpen(client, closeWatch: closeWatch, logger: logger, phase: phase, body)
                    } catch is StaleLease {
                        stale += 1
                        if stale == 20 { throw DatabaseUnavailable(reason: "every pooled connection offered has closed") }
                        try await Task.sleep(for: .milliseconds(25))
                    }
                }
            }
        } catch var error as DeadlineExceeded {
            // Say where it stuck: an operator reading the retry's fault headers needs it.
            error.operation += " (stuck \(phase.get()))"
            throw error
        }
    }

    /// A leased connection that was already closed before anything was sent on it.
    struct StaleLease: Error {}

    /// Runs the transaction on a leased connection, refusing one that has already closed.
    static func leaseOpen<T: Sendable>(_ client: PostgresClient, closeWatch: ConnectionCloseWatch, logger: Logger,
                                       phase: LockedValue<String>,
                                       _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            if connection.isClosed { throw StaleLease() }
            // A close interrupts the transaction at once (its next statement would
            // hang); the server has rolled it back, or committed it if COMMIT got
            // there first, which the inbox makes harmless on the retry.
            // Cancelled (a deadline passed, or shutdown), the transaction may still be
            // writing: closing the connection ends it, and the close-watch then
            // releases the lease, so the pool never hands out a connection mid-use.
            var token = 0
            defer { closeWatch.stopWatching(connection, token: token) }
            return try await withTaskCancellationHandler {
                try await withInterruption({
                    try await Self.runTransaction(on: connection, logger: logger, phase: phase, body)
                }, install: { token = closeWatch.watch(connection, $0) })
            } onCancel: {
                connection.close().whenComplete { _ in }  // the EventLoopFuture overload: no await in a cancel handler
            }
        }
    }

    static func runTransaction<T>(on connection: PostgresConnection, logger: Logger, phase: LockedValue<String>,
                                  _ body: (PostgresConnection) async throws -> T) async throws -> T {
        phase.set("sending BEGIN")
        try await statement("BEGIN;", on: connection, logger: logger)
        phase.set("in the transaction's statements")
        let result: T
        do {
            result = try await body(connection)
        } catch {
            // Cancelled (the deadline passed), the phase already says where it stuck; the
            // deadline's error reads it only after this unwinding.
            if !Task.isCancelled { phase.set("rolling back") }
            if !connection.isClosed {
                do {
                    try await statement("ROLLBACK;", on: connection, logger: logger)
                } catch {
                    logger.warning("rollback failed", metadata: ["error": "\(String(reflecting: error))"])
                }
            }
            throw error
        }
        phase.set("committing")
        try await statement("COMMIT;", on: connection, logger: logger)
        return result
    }

    /// Sends one of the transaction's own statements, unless the connection has closed
    /// (writing to it could hang forever), and bounds it: these statements are trivial, so
    /// 10 s without an answer means the connection is gone.
    static func statement(_ sql: String, on connection: PostgresConnection, logger: Logger) async throws {
        try requireOpen(connection)
        _ = try await withDeadline(.seconds(10), sql) {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }

    /// Fails fast on a connection that has closed: writing to it could hang forever.
    static func requireOpen(_ connection: PostgresConnection) throws {
        if connection.isClosed { throw DatabaseUnavailable(reason: "the pooled connection has closed") }
    }

    /// True when a trivial query succeeds within 2 s (used by `/ready`).
    public func isReachable() async -> Bool {
        let client = self.client
        let logger = self.logger
        do {
            _ = try await withDeadline(.seconds(2), "readiness probe") {
                try await client.query("SELECT 1", logger: logger)
            }
            return true
        } catch {
            return false
        }
    }
}

/// The database could not be used right now (a closed connection, a restart in progress):
/// transient, retry later.
public struct DatabaseUnavailable: Error, Sendable, CustomStringConvertible {
    /// Why.
    public var reason: String
    /// Creates the error.
    public init(reason: String) { self.reason = reason }
    public var description: String { "database unavailable: \(reason)" }
}
