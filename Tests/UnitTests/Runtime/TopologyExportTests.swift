import Catalog
import Contracts
import Foundation
import Messaging
import Runtime
@testable import TestSupport
import Testing

/// `infra/rabbitmq/definitions.json` is the code's topology (regenerate with
/// `sluice topology > infra/rabbitmq/definitions.json`).
@Suite("Topology export")
struct TopologyExportTests {
    @Test("the committed RabbitMQ definitions file equals the topology the services declare")
    func definitionsFileIsCurrent() throws {
        let url = TestEnvironment.packageRoot.appendingPathComponent("infra/rabbitmq/definitions.json")
        let committed = try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as? NSDictionary
        let generated = try JSONSerialization.jsonObject(with: JSONCoding.encoder(pretty: true).encode(
            RabbitDefinitions(topology: SluiceTopology(subscriptions: ServiceCatalog.subscriptions).all(), vhost: "sluice"))) as? NSDictionary
        #expect(committed != nil && committed == generated,
                "infra/rabbitmq/definitions.json is stale: run `sluice topology > infra/rabbitmq/definitions.json`")
        let queues = (generated?["queues"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(queues.contains("sluice.ingest") && queues.contains("sluice.incident.dlq"))
    }
}
