import APIModels
import Contracts
import Foundation
import IncidentService
@testable import TestSupport
import Testing

/// `sluice incidents | dead-letters | known-errors | queues` as an operator runs them,
/// against a real pipeline and the RabbitMQ management API.
@Suite("Operator CLI (real RabbitMQ and PostgreSQL)")
struct OperatorCLITests {
    let env = TestEnvironment.self

    @Test("list, show, search, test and add known errors, assign, dry-run, discard, queues; exit codes")
    func operatorCommands() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.start(["validate", "incident", "gateway"])
        try await pipeline.publisher.publish((0..<3).map { IncidentFlowTests.bad($0, prefix: pipeline.prefix) })
        var incidents: [Incident] = []
        _ = try await env.eventually {
            incidents = try await pipeline.getJSON([Incident].self, "incident", "/incidents")
            return incidents.first?.count == 3
        }
        let incident = try #require(incidents.first)
        // Through the gateway, signed in as carol: the audit log names her, not a header.
        let token = try await pipeline.adminToken(name: "carol")
        let environment = pipeline.cliEnvironment(token: token)
        func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
            try await SluiceCLI.run(arguments, environment: environment)
        }

        let list = try await run(["incidents", "list", "--json"])
        #expect(list.status == 0 && list.output.contains(incident.id), "\(list.output)")
        let table = try await run(["incidents", "list"])
        #expect(table.output.contains("INCIDENT") && table.output.contains("message.unsupported-version"), "\(table.output)")
        let show = try await run(["incidents", "show", incident.id])
        #expect(show.status == 0 && show.output.contains("message-unknown-type") && show.output.contains("first-seen"), "\(show.output)")
        #expect(try await run(["incidents", "show", "inc-nope"]).status == 2, "an unknown incident is a usage error")

        let letters = try await run(["dead-letters", "list", "--incident", incident.id, "--header", "x-sluice-service=validate",
                               "--error", "VERSION 9", "--since", "2020-01-01T00:00:00Z", "--json"])
        #expect(letters.status == 0, "\(letters.output)")
        let stored = try JSONCoding.decoder().decode([StoredFailure].self, from: Data(letters.output.utf8))
        #expect(stored.count == 3)
        let none = try await run(["dead-letters", "list", "--correlation", "no-such-correlation", "--json"])
        #expect(try JSONCoding.decoder().decode([StoredFailure].self, from: Data(none.output.utf8)).isEmpty)
        let one = try #require(stored.first)
        let detail = try await run(["dead-letters", "show", one.id, "--body"])
        #expect(detail.status == 0 && detail.output.contains("x-sluice-error-type") && detail.output.contains("\"version\""),
                "\(detail.output)")

        let tested = try await run(["known-errors", "test", "--error", "version 9", "--json"])
        #expect(tested.status == 0 && tested.output.contains("\"matched\" : 3"), "\(tested.output)")
        let added = try await run(["known-errors", "add", "v9", "--title", "Version nine", "--severity", "low",
                             "--error", "version 9", "--priority", "1"])
        #expect(added.status == 0, "\(added.output)")
        #expect(try await pipeline.getJSON(IncidentDetail.self, "incident", "/incidents/\(incident.id)").incident.severity == "low")
        let rules = try await run(["known-errors", "list"])
        #expect(rules.output.contains("v9") && rules.output.contains("message-poison"), "\(rules.output)")
        #expect(try await run(["known-errors", "add", "bad", "--title", "x", "--severity", "low", "--error", "("]).status == 2)

        let assigned = try await run(["incidents", "assign", incident.id, "bob"])
        #expect(assigned.status == 0, "\(assigned.output)")
        let dry = try await run(["incidents", "redrive", incident.id, "--dry-run", "--json"])
        #expect(dry.status == 0 && dry.output.contains("\"dryRun\" : true"), "\(dry.output)")
        let discarded = try await run(["dead-letters", "discard", one.id, "--reason", "bad producer"])
        #expect(discarded.status == 0, "\(discarded.output)")
        let audit = try await pipeline.getJSON([AuditEntry].self, "incident", "/audit")
        #expect(audit.contains { $0.action == "incident.assigned" && $0.actor == "carol" })
        #expect(audit.contains { $0.action == "dead-letter.discard" && $0.actor == "carol" })
        #expect(audit.contains { $0.action == "known-error.add" && $0.actor == "carol" })
        let gatewayAudit = try await pipeline.gatewayJSON([AuditRecord].self, "GET", "/audit", token: token)
        #expect(gatewayAudit.contains { $0.action == "assignIncident" && $0.actor == "carol" && $0.status == 200 })
        #expect(gatewayAudit.contains { $0.action == "createKnownError" && $0.actor == "carol" })

        let queues = try await run(["queues", "--json"])
        #expect(queues.status == 0, "\(queues.output)")
        struct Row: Decodable { var name: String; var consumers: Int; var dlq: Int? }
        let rows = try JSONCoding.decoder().decode([Row].self, from: Data(queues.output.utf8))
        let validate = try #require(rows.first { $0.name == "\(pipeline.prefix).validate" })
        // Counts come from the broker's statistics, refreshed every few seconds: only the
        // shape is certain here.
        #expect(validate.dlq != nil, "a work queue shows its DLQ's depth")
        #expect(!rows.contains { $0.name.hasSuffix(".dlq") && $0.dlq != nil })
        #expect(rows.allSatisfy { $0.name.hasPrefix(pipeline.prefix + ".") }, "only this deployment's queues")
        let queuesTable = try await run(["queues"])
        #expect(queuesTable.output.contains("\(pipeline.prefix).incident"), "\(queuesTable.output)")
        await pipeline.stopAll()
    }
}
