import Foundation
import Messaging
import ObjectStorage
import Runtime
import Storage

extension TestEnvironment {
    /// A runtime over `database` (its runtime tables migrated first) that publishes to an
    /// in-memory broker: for tests of transactions and the outbox, where the database is
    /// what matters and the broker is not.
    static func memoryRuntime(service: String, database: Database, prefix: String) async throws -> RuntimeContext {
        try await Migrator.migrate(database, [MigrationSet.runtime], logger: logger)
        let topology = SluiceTopology(prefix: prefix, subscriptions: [.init(service: "metrics", keys: ["#"])])
        let declared = topology.all(policies: RetryPolicies(base: RetryPolicy()))
        let gate = StartupGate()
        await gate.finish(.success(()))
        return RuntimeContext(service: service, database: database,
                              publisher: InMemoryBroker().makePublisher(name: "p", topology: declared, logger: logger),
                              topology: topology, metrics: MetricsRegistry(), logger: logger, values: ConfigValues([:]),
                              objects: LocalObjectStore(root: NSTemporaryDirectory() + "sluice-objects"), gate: gate)
    }
}
