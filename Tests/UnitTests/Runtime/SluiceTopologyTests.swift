import Catalog
@testable import Consuming
import Contracts
import Foundation
@testable import Hosting
@testable import IncidentService
@testable import IngestService
import Messaging
import PostgresNIO
@testable import Runtime
import Tabular
import Testing
@testable import TransformService
@testable import ValidateService

@Suite("Topology names")
struct SluiceTopologyTests {
    @Test("topology names derive from the prefix; incident consumes every DLQ")
    func topologyNames() {
        let t = SluiceTopology(prefix: "p", subscriptions: ServiceCatalog.subscriptions)
        #expect(t.queue("ingest") == "p.ingest" && t.deadLetterQueue("ingest") == "p.ingest.dlq")
        #expect(t.serviceOfDeadLetterQueue("p.validate.dlq") == "validate")
        #expect(t.serviceOfDeadLetterQueue("p.validate") == nil)
        #expect(t.consumedQueues("incident").count == 1 + t.consumingServices.count)
        let all = t.all()
        #expect(all.bindings.contains { $0.queue == "p.validate" && $0.routingKey == "chunk.ingested" })
        let retry = all.queues.first { $0.name == "p.ingest.retry.1000ms" }
        #expect(retry?.arguments["x-dead-letter-routing-key"] == .string("p.ingest"))
    }
}
