import APIModels
import Catalog
import Contracts
import Foundation
import IncidentService
import Messaging
import Runtime
@testable import TestSupport
import Testing

/// The incident service against the real pipeline: grouping, alerts, the known-error
/// catalog, the lifecycle and the broker's own dead-lettering.
@Suite("Incidents (real RabbitMQ and PostgreSQL)")
struct IncidentFlowTests {
    let env = TestEnvironment.self

    /// A `chunk.ingested` envelope validate cannot take: a version it does not support, or a
    /// type nobody knows (routed as `chunk.ingested`).
    static func bad(_ index: Int, prefix: String, type: String = "chunk.ingested", version: Int = 9) -> OutgoingMessage {
        let id = "bad-\(index)-\(UUID().uuidString.lowercased())"
        let body = #"{"id":"\#(id)","type":"\#(type)","version":\#(version),"correlationId":"c-\#(index)","payload":{}}"#
        return OutgoingMessage(exchange: SluiceTopology(prefix: prefix, subscriptions: ServiceCatalog.subscriptions).eventsExchange, routingKey: "chunk.ingested",
                               body: Array(body.utf8), properties: MessageProperties(messageId: id, type: type))
    }

    struct Alert: Decodable { var reason: String; var incidentId: String; var threshold: Int?; var count: Int }

    @Test("1,000 failures of one bug open one incident with count 1,000; a second cause opens a second; alerts once per change")
    func grouping() async throws {
        let hook = WebhookReceiver()
        let url = try await hook.start()
        defer { hook.stop() }
        let pipeline = try TestPipeline(overrides: ["notify.incident.webhooks": url,
                                                    "incident.alert.thresholds": "10,100,1000"])
        try await pipeline.start(["validate", "incident", "notify"])
        for start in stride(from: 0, to: 1000, by: 250) {
            try await pipeline.publisher.publish((start..<start + 250).map { Self.bad($0, prefix: pipeline.prefix) })
        }
        try await pipeline.publisher.publish((0..<10).map { Self.bad($0, prefix: pipeline.prefix, type: "chunk.teleported", version: 1) })

        var incidents: [Incident] = []
        let grouped = try await env.eventually(timeout: .seconds(180), every: .milliseconds(500)) {
            incidents = try await pipeline.getJSON([Incident].self, "incident", "/incidents")
            return incidents.map(\.count).sorted() == [10, 1000]
        }
        #expect(grouped, "incidents: \(incidents.map { ($0.errorType, $0.count) })")
        let version = try #require(incidents.first { $0.errorType == "message.unsupported-version" })
        let unknown = try #require(incidents.first { $0.errorType == "message.unknown-type" })
        #expect(version.count == 1000 && version.state == "open" && version.service == "validate")
        #expect(version.ruleId == "message-unknown-type" && version.severity == "high")
        #expect(version.title == "Message type or version not understood")
        #expect(unknown.count == 10 && unknown.id != version.id)

        let letters = try await pipeline.getJSON([StoredFailure].self, "incident", "/dead-letters?incident=\(version.id)&limit=5000")
        #expect(letters.count == 1000)
        #expect(letters.allSatisfy { $0.attempts == 1 && $0.state == "pending" }, "permanent failures are never retried")

        let detail = try await pipeline.getJSON(IncidentDetail.self, "incident", "/incidents/\(version.id)")
        #expect(detail.timeline.first?.kind == "first-seen")
        let occurrences = detail.timeline.filter { $0.kind == "occurrences" }.compactMap { Int($0.detail["count"] ?? "") }
        #expect(occurrences.reduce(0, +) == 999, "every later failure is on the timeline, coalesced")
        #expect(detail.deadLetters["pending"] == 1000)

        // Alerts: opened once, then each threshold once, never once per message.
        _ = try await env.eventually(timeout: .seconds(30)) { hook.bodies.count >= 6 }
        try await Task.sleep(for: .seconds(1))
        let alerts = try hook.bodies.map { try JSONCoding.decode(Alert.self, from: $0) }
        let forVersion = alerts.filter { $0.incidentId == version.id }
        #expect(forVersion.map(\.reason).sorted() == ["opened", "threshold", "threshold", "threshold"])
        #expect(Set(forVersion.compactMap(\.threshold)) == [10, 100, 1000])
        #expect(alerts.filter { $0.incidentId == unknown.id }.map(\.reason).sorted() == ["opened", "threshold"])
        #expect(alerts.count == 6)
        await pipeline.stopAll()
    }

    @Test("known errors re-match incidents; lifecycle, reopen, archive and audit work as an operator expects")
    func catalogAndLifecycle() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.start(["validate", "incident"])
        let tap = try await EventTap(prefix: pipeline.prefix, keys: ["incident.#"])
        func teleport(_ n: Int) async throws {
            try await pipeline.publisher.publish((0..<n).map {
                Self.bad($0, prefix: pipeline.prefix, type: "chunk.teleported", version: 1)
            })
        }
        try await teleport(3)
        var incident = try await waitForIncident(pipeline) { $0.count == 3 }
        #expect(incident.ruleId == "message-unknown-type")

        // Testing a rule finds the stored failures without saving anything.
        struct TestResult: Decodable { var examined: Int; var matched: Int; var incidents: [String: Int] }
        let draft = KnownErrorRule.Draft(id: "teleport", errorPattern: "teleport(ed)?'", severity: "critical",
                                         title: "Teleport messages", rootCause: "an experimental producer",
                                         action: "switch it off", priority: 1)
        let tested = try await pipeline.call(TestResult.self, "incident", "/known-errors/test", draft)
        #expect(tested.matched == 3 && tested.incidents[incident.id] == 3)

        // Adding it re-matches the open incident.
        _ = try await pipeline.call(KnownErrorRule.self, "incident", "/known-errors", draft)
        incident = try await pipeline.getJSON(IncidentDetail.self, "incident", "/incidents/\(incident.id)").incident
        #expect(incident.ruleId == "teleport" && incident.severity == "critical" && incident.title == "Teleport messages")
        #expect(incident.rootCause == "an experimental producer" && incident.correctiveAction == "switch it off")

        // Bad rules and removing a built-in one are refused with a reason.
        var bad = draft
        bad.id = "broken"
        bad.errorPattern = "(unclosed"
        let refused = try await pipeline.send("incident", "/known-errors", try JSONCoding.encode(bad))
        #expect(refused.status == 422 && String(decoding: refused.body, as: UTF8.self).contains("known-error.invalid-pattern"))
        let builtin = try await pipeline.send("incident", "/known-errors/message-poison", [], method: "DELETE")
        #expect(builtin.status == 409)

        // Lifecycle.
        let early = try await pipeline.send("incident", "/incidents/\(incident.id)/archive", [])
        #expect(early.status == 409, "only a resolved incident can be archived")
        incident = try await pipeline.call(Incident.self, "incident", "/incidents/\(incident.id)/assign", ["assignee": "alice"])
        #expect(incident.state == "in_progress" && incident.assignee == "alice")
        incident = try await pipeline.call(Incident.self, "incident", "/incidents/\(incident.id)/notes",
                                           ["text": "producer team contacted"])
        incident = try await pipeline.call(Incident.self, "incident", "/incidents/\(incident.id)/resolve",
                                           ["rootCause": "producer bug", "impact": "3 chunks"])
        #expect(incident.state == "resolved" && incident.rootCause == "producer bug" && incident.impact == "3 chunks")

        // The cause comes back: the same incident reopens.
        try await teleport(1)
        let reopened = try await waitForIncident(pipeline) { $0.id == incident.id && $0.state == "open" }
        #expect(reopened.count == 4 && reopened.reopened == 1)
        #expect(try await pipeline.getJSON([Incident].self, "incident", "/incidents").count == 1)

        // Archived incidents stay closed: the next occurrence opens a new one.
        _ = try await pipeline.call(Incident.self, "incident", "/incidents/\(incident.id)/resolve", [String: String]())
        let archived = try await pipeline.call(Incident.self, "incident", "/incidents/\(incident.id)/archive", [String: String]())
        #expect(archived.state == "archived")
        try await teleport(1)
        let fresh = try await waitForIncident(pipeline) { $0.id != incident.id }
        #expect(fresh.state == "open" && fresh.count == 1 && fresh.ruleId == "teleport")

        // Deleting the rule re-matches what is not archived.
        let deleted = try await pipeline.send("incident", "/known-errors/teleport", [], method: "DELETE")
        #expect(deleted.status == 204)
        let rematched = try await pipeline.getJSON(IncidentDetail.self, "incident", "/incidents/\(fresh.id)")
        #expect(rematched.incident.ruleId == "message-unknown-type")
        #expect(rematched.timeline.contains { $0.kind == "rule-matched" && $0.detail["rule"] == "message-unknown-type" })
        let old = try await pipeline.getJSON(IncidentDetail.self, "incident", "/incidents/\(incident.id)")
        #expect(old.incident.ruleId == "teleport", "archived incidents keep what they had")
        let kinds = old.timeline.map(\.kind)
        for kind in ["first-seen", "occurrences", "rule-matched", "assigned", "note", "resolved", "reopened", "state"] {
            #expect(kinds.contains(kind), "timeline lacks \(kind): \(kinds)")
        }

        let audit = try await pipeline.getJSON([AuditEntry].self, "incident", "/audit")
        let actions = Set(audit.map(\.action))
        for action in ["known-error.add", "known-error.delete", "incident.assigned", "incident.resolved", "incident.note",
                       "incident.state"] {
            #expect(actions.contains(action), "audit lacks \(action): \(actions)")
        }
        #expect(audit.first { $0.action == "known-error.add" }?.actor == "tester")
        #expect(audit.first { $0.action == "known-error.delete" }?.actor == "operator", "no X-Sluice-Actor header")

        _ = try await env.eventually { !tap.messages("incident.resolved").isEmpty }
        #expect(tap.messages("incident.opened").count == 2)
        #expect(tap.messages("incident.resolved").count == 2)
        #expect(tap.messages("incident.updated").count >= 5)
        #expect(tap.messages("incident.alert").map { try? JSONCoding.decode(Envelope<IncidentAlert>.self, from: $0.body).payload.reason }
            .compactMap { $0 }.sorted() == ["opened", "opened", "reopened"])
        await tap.close()
        await pipeline.stopAll()
    }

    @Test("the broker's own dead-lettering (TTL expiry) ends in the DLQ and is understood from x-death")
    func brokerDeadLettering() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.start(["incident"])  // nobody consumes transform's queue
        let topology = SluiceTopology(prefix: pipeline.prefix, subscriptions: ServiceCatalog.subscriptions)
        let id = "expiring-\(UUID().uuidString.lowercased())"
        var properties = MessageProperties(messageId: id, type: "chunk.validated")
        properties.expiration = "1"
        try await pipeline.publisher.publish([OutgoingMessage(exchange: topology.eventsExchange, routingKey: "chunk.validated",
                                                              body: Array(#"{"id":"\#(id)"}"#.utf8), properties: properties)])
        var letters: [StoredFailure] = []
        _ = try await env.eventually(timeout: .seconds(30)) {
            letters = try await pipeline.getJSON([StoredFailure].self, "incident", "/dead-letters?service=transform")
            return !letters.isEmpty
        }
        let letter = try #require(letters.first)
        #expect(letter.errorType == "broker.expired" && letter.messageId == id)
        let detail = try await pipeline.getJSON(DeadLetterDetail.self, "incident", "/dead-letters/\(letter.id)")
        #expect(detail.targetQueue == topology.queue("transform"))
        #expect(detail.originalExchange == topology.eventsExchange && detail.originalRoutingKey == "chunk.validated")
        #expect(detail.headers["x-death"]?.contains("expired") == true)
        let incident = try #require(try await pipeline.getJSON([Incident].self, "incident", "/incidents").first)
        #expect(incident.ruleId == "broker-expired")
        await pipeline.stopAll()
    }

    private func waitForIncident(_ pipeline: TestPipeline, _ condition: @escaping (Incident) -> Bool) async throws -> Incident {
        var found: Incident?
        _ = try await env.eventually(timeout: .seconds(60)) {
            found = try await pipeline.getJSON([Incident].self, "incident", "/incidents").first(where: condition)
            return found != nil
        }
        return try #require(found, "no matching incident")
    }
}
