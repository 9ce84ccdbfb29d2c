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

    @Test("services that handle stage work get urgent and low lanes with the work queue's arguments; others do not")
    func priorityLanes() {
        let t = SluiceTopology(prefix: "p", queueType: .quorum, subscriptions: ServiceCatalog.subscriptions)
        let all = t.all()
        #expect(t.consumedQueues("validate") == ["p.validate", "p.validate.urgent", "p.validate.low"])
        #expect(t.consumedQueues("notify") == ["p.notify"])
        #expect(all.bindings.contains { $0.queue == "p.validate.urgent" && $0.routingKey == "chunk.ingested.urgent" })
        #expect(all.bindings.contains { $0.queue == "p.publish.low" && $0.routingKey == "job.ingested.low" })
        #expect(!all.bindings.contains { $0.queue == "p.validate.urgent" && $0.routingKey == "chunk.ingested" })
        let work = all.queues.first { $0.name == "p.validate" }
        let urgent = all.queues.first { $0.name == "p.validate.urgent" }
        #expect(urgent != nil && urgent?.arguments == work?.arguments, "same dead-lettering, same queue type")
        #expect(!all.queues.contains { $0.name == "p.notify.urgent" })
        #expect(t.lane(ofQueue: "p.validate.low", service: "validate") == .low)
        #expect(t.lane(ofQueue: "p.validate", service: "validate") == .normal)
        #expect(t.lane(ofQueue: "p.validate.dlq", service: "validate") == .normal)
    }
}
