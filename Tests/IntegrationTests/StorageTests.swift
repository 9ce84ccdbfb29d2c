import Catalog
import Contracts
import Foundation
import Messaging
import ObjectStorage
import PostgresNIO
@testable import Runtime
import Storage
@testable import TestSupport
import Testing

/// Migrations, inbox, outbox and role isolation against a real PostgreSQL.
@Suite("Storage (real PostgreSQL)")
struct StorageTests {
    let env = TestEnvironment.self

    static let sample = MigrationSet(component: "sample", migrations: [
        Migration(1, "things", ["CREATE TABLE things (id integer PRIMARY KEY)"]),
        Migration(2, "more things", ["ALTER TABLE things ADD COLUMN name text", "CREATE INDEX things_name ON things (name)"]),
    ])

    @Test("migrations apply once; running them again is a no-op, also concurrently")
    func migrationsAreIdempotent() async throws {
        try await env.withFreshSchema { database, _ in
            let first = try await Migrator.migrate(database, [.runtime, Self.sample], logger: env.logger)
            #expect(first == MigrationSet.runtime.migrations.map { "runtime:\($0.version)" } + ["sample:1", "sample:2"])
            let again = try await Migrator.migrate(database, [.runtime, Self.sample], logger: env.logger)
            #expect(again.isEmpty)
            async let a = Migrator.migrate(database, [.runtime, Self.sample], logger: env.logger)
            async let b = Migrator.migrate(database, [.runtime, Self.sample], logger: env.logger)
            let (ra, rb) = try await (a, b)
            #expect(ra.isEmpty && rb.isEmpty)
            let rows = try await database.client.query("SELECT count(*) FROM schema_migrations", logger: env.logger)
            for try await count in rows.decode(Int.self) { #expect(count == MigrationSet.runtime.migrations.count + 2) }
        }
    }

    @Test("a new migration appended later is applied on the next start")
    func appendedMigration() async throws {
        try await env.withFreshSchema { database, _ in
            let v1 = MigrationSet(component: "sample", migrations: [Self.sample.migrations[0]])
            let first = try await Migrator.migrate(database, [v1], logger: env.logger)
            let second = try await Migrator.migrate(database, [Self.sample], logger: env.logger)
            #expect(first == ["sample:1"])
            #expect(second == ["sample:2"])
        }
    }

    @Test("the inbox records a message once; a rolled-back claim leaves no trace")
    func inboxDropsDuplicates() async throws {
        try await env.withFreshSchema { database, _ in
            try await Migrator.migrate(database, [.runtime], logger: env.logger)
            let first = try await database.transaction { try await Inbox.claim("m-1", type: "t", on: $0, logger: env.logger) }
            let second = try await database.transaction { try await Inbox.claim("m-1", type: "t", on: $0, logger: env.logger) }
            #expect(first && !second)
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await database.transaction { connection in
                    _ = try await Inbox.claim("m-2", type: "t", on: connection, logger: env.logger)
                    throw Boom()
                }
            }
            let retried = try await database.transaction { try await Inbox.claim("m-2", type: "t", on: $0, logger: env.logger) }
            #expect(retried)
        }
    }

    @Test("the outbox relays exactly what was committed, and nothing rolled back")
    func outboxRelaysCommittedOnly() async throws {
        let t = TestTopology()
        try await env.withFreshSchema { database, _ in
            try await Migrator.migrate(database, [.runtime], logger: env.logger)
            let committed = (0..<3).map { t.message($0) }
            let rolledBack = (10..<12).map { t.message($0) }
            try await database.transaction { _ = try await Outbox.enqueue(committed, on: $0, logger: env.logger) }
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await database.transaction { connection in
                    _ = try await Outbox.enqueue(rolledBack, on: connection, logger: env.logger)
                    throw Abort()
                }
            }
            let publisher = AMQPPublisher(config: env.amqp, topology: t.topology, logger: env.logger)
            let consumer = AMQPConsumer(config: env.amqp, topology: t.topology, logger: env.logger)
            try await consumer.consume(queues: [t.queue])
            let collector = DeliveryCollector(consumer)
            let relay = await Self.relay(database: database, publisher: publisher, prefix: t.prefix)
            #expect(try await relay.relayOnce() == 3)
            #expect(try await relay.relayOnce() == 0)
            _ = try await collector.wait(for: 3)
            try await Task.sleep(for: .milliseconds(300))
            #expect(Set(collector.deliveries.compactMap(\.properties.messageId)) == ["m-0", "m-1", "m-2"])
            #expect(collector.deliveries.first?.properties.headers["x-index"] != nil)
            await consumer.close()
            await publisher.close()
        }
    }

    @Test("an outbox row the broker refuses does not block the others and stops being retried")
    func outboxBadRow() async throws {
        let t = TestTopology()
        try await env.withFreshSchema { database, _ in
            try await Migrator.migrate(database, [.runtime], logger: env.logger)
            var lost = t.message(1)
            lost.routingKey = "nobody.listens"
            try await database.transaction { [lost] in _ = try await Outbox.enqueue([t.message(0), lost, t.message(2)], on: $0, logger: env.logger) }
            let publisher = AMQPPublisher(config: env.amqp, topology: t.topology, logger: env.logger)
            let relay = await Self.relay(database: database, publisher: publisher, prefix: t.prefix)
            #expect(try await relay.relayOnce() == 2)
            let rows = try await database.client.query(
                "SELECT attempts, last_error FROM outbox WHERE sent_at IS NULL", logger: env.logger)
            var unsent: [(Int, String?)] = []
            for try await row in rows.decode((Int, String?).self) { unsent.append(row) }
            #expect(unsent.count == 1 && unsent.first?.0 == 1)
            #expect(unsent.first?.1?.contains("unroutable") == true)
            await publisher.close()
        }
    }

    /// An outbox relay over `database` that takes rows at once.
    static func relay(database: Database, publisher: AMQPPublisher, prefix: String) async -> OutboxRelay {
        let gate = StartupGate()
        await gate.finish(.success(()))
        let runtime = RuntimeContext(service: "test", database: database, publisher: publisher,
                                     topology: SluiceTopology(prefix: prefix, subscriptions: ServiceCatalog.subscriptions), metrics: MetricsRegistry(),
                                     logger: TestEnvironment.logger, values: ConfigValues([:]),
                                     objects: LocalObjectStore(root: NSTemporaryDirectory() + "sluice-objects"), gate: gate)
        return OutboxRelay(runtime: runtime, gate: gate, minimumAge: .zero)
    }

    @Test("a service role can use its own schema and is refused another's")
    func roleIsolation() async throws {
        let ingest = DatabaseConfig(host: env.dbHost, port: env.dbPort, user: "sluice_ingest", password: "sluice_ingest",
                                    schema: "ingest")
        try await env.withDatabase(ingest) { database in
            try await database.client.query("CREATE TABLE IF NOT EXISTS isolation_probe (x int)", logger: env.logger)
            do {
                try await database.client.query("SELECT * FROM validate.inbox", logger: env.logger)
                Issue.record("reading another service's schema must be refused")
            } catch let error as PSQLError {
                #expect(error.serverInfo?[.sqlState] == "42501", "expected insufficient_privilege, got \(error)")
            }
            do {
                try await database.client.query("CREATE TABLE public.escape (x int)", logger: env.logger)
                Issue.record("creating tables in public must be refused")
            } catch let error as PSQLError {
                #expect(error.serverInfo?[.sqlState] == "42501")
            }
        }
    }
}
