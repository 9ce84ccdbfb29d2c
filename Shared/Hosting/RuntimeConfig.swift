import Chunks
import Consuming
import Contracts
import Logging
import Messaging
import ObjectStorage
import Storage

/// Everything the runtime needs to start one service, typed. Built once from
/// ``ConfigValues`` at the top of the process (or directly by tests).
public struct RuntimeConfig: Sendable {
    /// The service name.
    public var service: String
    /// The broker.
    public var amqp: AMQPConfig
    /// The database (role and schema of this service).
    public var database: DatabaseConfig
    /// HTTP bind host.
    public var httpHost: String
    /// HTTP port; 0 picks a free one (tests).
    public var httpPort: Int
    /// Broker name prefix.
    public var topology: SluiceTopology
    /// Retry policies for transient handler failures, per message type.
    public var retry: RetryPolicies
    /// Deliberate faults for drills and tests (never in production).
    public var faults: FaultInjection
    /// Unacked deliveries the broker may push to this replica.
    public var prefetch: Int
    /// Deliveries handled at once.
    public var concurrency: Int
    /// Fresh deliveries an observer (metrics, the gateway) handles in one transaction
    /// (`consumer.batch`).
    public var observerBatch: Int
    /// How the priority lanes share the handler slots (`consumer.lanes`).
    public var lanes: LaneWeights
    /// Bounds on waits, shutdown and stalls.
    public var timeouts: RuntimeTimeouts
    /// Where chunks and artifacts are stored.
    public var storage: ObjectStoreConfig
    /// The largest chunk carried inline in its message (`chunks.inline.bytes`, 0 to 65,536).
    public var chunkInlineLimit: Int
    /// The raw values, for service-specific settings.
    public var values: ConfigValues

    /// Reads the settings documented in `docs/configuration.md`; defaults match `infra/local`.
    /// `defaultPort` is the service's own (its descriptor's) unless `http.port` is set.
    public init(service: String, values: ConfigValues, defaultPort: Int = 8089) throws {
        self.service = service
        self.values = values
        var amqp = try AMQPConfig(url: values.string("amqp.url", "amqp://sluice:sluice@127.0.0.1:5673/sluice"))
        amqp.heartbeatSeconds = try values.int("amqp.heartbeat", amqp.heartbeatSeconds)
        amqp.caCertificatePath = values["amqp.cacert"] ?? amqp.caCertificatePath
        amqp.connectionName = "\(service)@\(ProcessInfo.processInfo.processIdentifier)"
        self.amqp = amqp
        database = DatabaseConfig(
            host: values.string("db.host", "127.0.0.1"), port: try values.int("db.port", 5433),
            database: values.string("db.name", "sluice"),
            user: values.string("db.user", "sluice_\(service)"), password: values.string("db.password", "sluice_\(service)"),
            schema: values.string("db.schema", service), maxConnections: try values.int("db.pool", 10),
            tls: try values.bool("db.tls", false))
        database.minConnections = try values.int("db.pool.min", database.minConnections)
        database.queryTimeout = .milliseconds(try values.int("db.timeout.query.ms", 30_000))
        database.transactionTimeout = .milliseconds(try values.int("db.timeout.transaction.ms", 300_000))
        guard database.queryTimeout > .zero, database.transactionTimeout > .zero else {
            throw SluiceError.permanent("config.invalid-timeout", "db.timeout.query.ms and db.timeout.transaction.ms must be positive")
        }
        timeouts = try RuntimeTimeouts(values: values)
        httpHost = values.string("http.host", "127.0.0.1")
        httpPort = try values.int("http.port", defaultPort)
        let queueType = values.string("topology.queue.type", "classic")
        guard let type = SluiceTopology.QueueType(rawValue: queueType) else {
            throw SluiceError.permanent("config.invalid-queue-type", "topology.queue.type must be classic or quorum, got '\(queueType)'")
        }
        let deliveryLimit = try values.int("consumer.delivery.limit", 5)
        guard deliveryLimit >= 1 else {
            throw SluiceError.permanent("config.invalid-delivery-limit", "consumer.delivery.limit must be at least 1")
        }
        topology = SluiceTopology(prefix: values.string("topology.prefix", "sluice"),
                                  queueExpiryMilliseconds: values["topology.expires.ms"] == nil ? nil
                                      : try values.int("topology.expires.ms", 0),
                                  queueType: type, deliveryLimit: deliveryLimit)
        retry = try RetryPolicies(service: service, values: values)
        faults = FaultInjection(crashMatch: values["fault.crash.match"])
        storage = try Self.storage(values)
        chunkInlineLimit = try values.int("chunks.inline.bytes", ChunkStore.defaultInlineLimit)
        guard (0...65_536).contains(chunkInlineLimit) else {
            throw SluiceError.permanent("config.invalid-inline-limit", "chunks.inline.bytes must be 0 to 65536, got \(chunkInlineLimit)")
        }
        prefetch = try values.int("consumer.prefetch", 200)
        concurrency = try values.int("consumer.concurrency", 8)
        // Each delivery in hand holds a connection for its transaction; when they can take them
        // all (rows of one busy job serialise them), the HTTP API and the loops wait behind.
        guard concurrency >= 1, concurrency < database.maxConnections else {
            throw SluiceError.permanent("config.pool-too-small", "consumer.concurrency (\(concurrency)) must be at least 1 "
                + "and below db.pool (\(database.maxConnections)): each delivery in hand holds a database connection, "
                + "and the HTTP API and background loops need one too")
        }
        observerBatch = max(1, try values.int("consumer.batch", 32))
        lanes = try LaneWeights(parsing: values.string("consumer.lanes", LaneWeights().description))
    }
}

import Consuming
import Foundation
import Runtime

extension RuntimeConfig {
    /// `storage.backend` (`local` or `s3`) and its settings; a relative root is resolved against the
    /// working directory once, here, so every service of a machine agrees on it.
    static func storage(_ values: ConfigValues) throws -> ObjectStoreConfig {
        switch values.string("storage.backend", "local") {
        case "local":
            let root = values.string("storage.local.root", "var/objects")
            let cwd = FileManager.default.currentDirectoryPath
            return .local(root: URL(fileURLWithPath: root, relativeTo: URL(fileURLWithPath: cwd)).standardizedFileURL.path)
        case "s3":
            return .s3(try s3(values))
        case let other:
            throw SluiceError.permanent("config.invalid-storage-backend", "storage.backend must be local or s3, got '\(other)'")
        }
    }

    /// The S3-compatible service of `storage.s3.*`: the object store when `storage.backend`
    /// is `s3`, and where ingest reads `s3://bucket/key` sources whatever the backend.
    public static func s3(_ values: ConfigValues) throws -> S3Config {
        let cwd = FileManager.default.currentDirectoryPath
        let spool = values.string("storage.s3.spool", "var/spool")
        return S3Config(
            endpoint: values.string("storage.s3.endpoint", "http://127.0.0.1:28333"),
            bucket: values.string("storage.s3.bucket", "sluice"),
            region: values.string("storage.s3.region", "us-east-1"),
            accessKey: values.string("storage.s3.access.key", "sluice"),
            secretKey: values.string("storage.s3.secret.key", "sluice-secret"),
            spool: URL(fileURLWithPath: spool, relativeTo: URL(fileURLWithPath: cwd)).standardizedFileURL.path,
            timeout: .milliseconds(try values.int("storage.s3.timeout.ms", 120_000)),
            multipartBytes: try values.int("storage.s3.multipart.bytes", 64 << 20))
    }
}
