import Contracts
import Catalog
import Foundation
import Hosting
import Logging
import Messaging
import PostgresNIO
import Runtime
import Storage

/// Where the real broker and database are for tests (the local infra by default). A test
/// that cannot reach them fails; it never skips.
enum TestEnvironment {
    static let values: [String: String] = ProcessInfo.processInfo.environment

    static var amqpURL: String { values["SLUICE_TEST_AMQP_URL"] ?? "amqp://sluice:sluice@127.0.0.1:5673/sluice" }
    static var amqp: AMQPConfig {
        var config = try! AMQPConfig(url: amqpURL)
        config.connectionName = "test"
        config.initialReconnectDelay = .milliseconds(100)
        config.maxReconnectDelay = .seconds(1)
        return config
    }
    static var dbHost: String { values["SLUICE_TEST_DB_HOST"] ?? "127.0.0.1" }
    static var dbPort: Int { Int(values["SLUICE_TEST_DB_PORT"] ?? "") ?? 5433 }
    static var s3Endpoint: String { values["SLUICE_TEST_S3_ENDPOINT"] ?? "http://127.0.0.1:28333" }
    static var s3Bucket: String { values["SLUICE_TEST_S3_BUCKET"] ?? "sluice" }
    static var s3AccessKey: String { values["SLUICE_TEST_S3_ACCESS_KEY"] ?? "sluice" }
    static var s3SecretKey: String { values["SLUICE_TEST_S3_SECRET_KEY"] ?? "sluice-secret" }
    static var managementURL: String { values["SLUICE_TEST_MANAGEMENT_URL"] ?? "http://sluice:sluice@127.0.0.1:15673" }

    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = Logger.Level(rawValue: ProcessInfo.processInfo.environment["SLUICE_TEST_LOG_LEVEL"] ?? "") ?? .warning
        return logger
    }()

    /// A unique, short name prefix.
    static func uniquePrefix(_ base: String = "t") -> String {
        "\(base)\(UInt32.random(in: 0...UInt32.max))"
    }

    /// The admin role's config for `schema` (the admin may create schemas; services may not).
    static func adminDatabase(schema: String) -> DatabaseConfig {
        DatabaseConfig(host: dbHost, port: dbPort, user: "sluice", password: "sluice", schema: schema)
    }

    /// Runs `body` with a database client running in the background.
    static func withDatabase<T: Sendable>(_ config: DatabaseConfig,
                                          _ body: (Database) async throws -> T) async throws -> T {
        let database = Database(config: config, logger: logger)
        let task = Task { try await database.run() }
        defer { task.cancel() }
        return try await body(database)
    }

    /// Creates a fresh schema owned by the admin role and runs `body` against it.
    static func withFreshSchema<T: Sendable>(_ body: (Database, String) async throws -> T) async throws -> T {
        let schema = "t_\(UInt32.random(in: 0...UInt32.max))"
        try await withDatabase(adminDatabase(schema: "public")) { admin in
            try await admin.client.query("CREATE SCHEMA \(unescaped: schema)", logger: logger)
        }
        defer {
            Task {
                _ = try? await withDatabase(adminDatabase(schema: "public")) { admin in
                    try await admin.client.query("DROP SCHEMA IF EXISTS \(unescaped: schema) CASCADE", logger: logger)
                }
            }
        }
        return try await withDatabase(adminDatabase(schema: schema)) { try await body($0, schema) }
    }

    /// The schema a service uses in a test: each test gets its own, so nothing one test
    /// stores (schedules, incidents, …) is seen by another.
    static func schema(_ service: String, prefix: String) -> String { "\(prefix)_\(service)" }

    /// Drops a test's schemas (best effort; CI starts from an empty database anyway).
    static func dropSchemas(prefix: String, services: [String]) async {
        _ = try? await withDatabase(adminDatabase(schema: "public")) { admin in
            for service in services {
                try await admin.client.query("DROP SCHEMA IF EXISTS \(unescaped: schema(service, prefix: prefix)) CASCADE",
                                             logger: logger)
            }
        }
    }

    /// Creates the per-test schemas of `services` (as the admin role, which the services log in as).
    static func createSchemas(prefix: String, services: [String]) async throws {
        try await withDatabase(adminDatabase(schema: "public")) { admin in
            for service in services {
                try await admin.client.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema(service, prefix: prefix))",
                                             logger: logger)
            }
        }
    }

    /// Where the services of a test keep their chunks and artifacts (inside the package).
    static var objectRoot: String { packageRoot.appendingPathComponent(".build/test-artifacts/objects").path }

    /// Settings that put a service on a throwaway topology and its own schema, with fast retries.
    static func settings(_ service: String, prefix: String) -> [String: String] {
        [
            "amqp.url": amqpURL, "db.host": dbHost, "db.port": "\(dbPort)", "http.port": "0",
            "db.user": "sluice", "db.password": "sluice", "db.schema": schema(service, prefix: prefix),
            "topology.prefix": prefix, "topology.expires.ms": "600000",
            "retry.initial.ms": "200", "retry.multiplier": "2", "retry.max.ms": "1000", "retry.attempts": "3",
            // Four connections per service (a suite runs many pipelines at once against one server),
            // so three deliveries at a time: one connection stays for the HTTP API and the loops.
            "consumer.prefetch": "50", "db.pool": "4", "consumer.concurrency": "3", "storage.local.root": objectRoot,
        ]
    }

    /// A runtime configuration for `service` (see ``settings(_:prefix:)``).
    static func runtimeConfig(_ service: String, prefix: String, overrides: [String: String] = [:]) throws -> RuntimeConfig {
        var entries = settings(service, prefix: prefix)
        entries.merge(overrides) { $1 }
        return try ServiceCatalog.config(service, values: ConfigValues(entries))
    }

    /// A TCP port free right now on loopback (for child processes whose HTTP port tests need).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw CocoaError(.fileWriteUnknown) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Polls `condition` until it holds or `timeout` passes.
    static func eventually(timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(100),
                           _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: interval)
        }
        return try await condition()
    }

    /// The repository root (for examples and the built `sluice` binary).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }
}
