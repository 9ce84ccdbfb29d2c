import APIModels
import Catalog
@testable import Consuming
import Contracts
import Foundation
@testable import IncidentService
import Messaging
@testable import Runtime
@testable import TestSupport
import Testing

/// The rules behind failure handling, tested directly: retry policies from configuration,
/// queue arguments per queue type, known-error matching, alert thresholds.
@Suite("Failure handling rules")
struct FailureLogicTests {
    @Test("retry policies: defaults, then per service, then per message type, field by field")
    func policyPrecedence() throws {
        let values = ConfigValues([
            "retry.initial.ms": "100", "retry.attempts": "4",
            "retry.service.ingest.multiplier": "3", "retry.service.validate.attempts": "9",
            "retry.type.job.submit.attempts": "7", "retry.type.job.submit.max.ms": "2000",
        ])
        let ingest = try RetryPolicies(service: "ingest", values: values)
        #expect(ingest.base.initialMilliseconds == 100 && ingest.base.multiplier == 3 && ingest.base.maxAttempts == 4)
        let submit = ingest.policy(for: "job.submit")
        #expect(submit.maxAttempts == 7 && submit.initialMilliseconds == 100 && submit.multiplier == 3)
        #expect(submit.delayMilliseconds(afterAttempt: 2) == 300 && submit.delayMilliseconds(afterAttempt: 5) == 2000)
        #expect(ingest.policy(for: "chunk.ingested") == ingest.base)
        #expect(try RetryPolicies(service: "validate", values: values).base.maxAttempts == 9)
        // One durable delay queue per distinct delay of any policy, sorted.
        #expect(ingest.delayLevels == [100, 300, 900, 2000])
    }

    @Test("bad retry settings are refused with the key that is wrong")
    func policyErrors() {
        #expect(throws: SluiceError.self) { try RetryPolicies(service: "x", values: ConfigValues(["retry.type.job.submit.tries": "3"])) }
        #expect(throws: SluiceError.self) { try RetryPolicies(service: "x", values: ConfigValues(["retry.jitter": "1.5"])) }
        #expect(throws: SluiceError.self) { try RetryPolicies(service: "x", values: ConfigValues(["retry.attempts": "0"])) }
        #expect(throws: SluiceError.self) { try RetryPolicies(service: "x", values: ConfigValues(["retry.multiplier": "0.5"])) }
    }

    @Test("quorum topologies: delivery limit on work queues, at-least-once dead-lettering wherever a queue dead-letters")
    func quorumArguments() {
        let classic = SluiceTopology(prefix: "p", subscriptions: ServiceCatalog.subscriptions).all()
        #expect(classic.queues.allSatisfy { $0.arguments["x-queue-type"] == nil && $0.arguments["x-delivery-limit"] == nil })
        let quorum = SluiceTopology(prefix: "p", queueType: .quorum, deliveryLimit: 4, subscriptions: ServiceCatalog.subscriptions).all()
        #expect(quorum.queues.allSatisfy { $0.arguments["x-queue-type"] == .string("quorum") })
        let work = quorum.queues.first { $0.name == "p.validate" }
        #expect(work?.arguments["x-delivery-limit"] == .int(8))
        #expect(work?.arguments["x-dead-letter-strategy"] == .string("at-least-once"))
        #expect(work?.arguments["x-overflow"] == .string("reject-publish"))
        let delay = quorum.queues.first { $0.name == "p.validate.retry.1000ms" }
        #expect(delay?.arguments["x-dead-letter-strategy"] == .string("at-least-once"))
        let dlq = quorum.queues.first { $0.name == "p.validate.dlq" }
        #expect(dlq?.arguments["x-dead-letter-strategy"] == nil, "a DLQ dead-letters nowhere")
    }

    @Test("errors carry where they were raised; a re-drive strips failure headers but keeps the original route")
    func errorOrigin() {
        let error = SluiceError.permanent("x.y", "boom")
        #expect(error.origin?.contains("FailureLogicTests.swift:") == true)
        #expect(error == SluiceError.permanent("x.y", "boom"), "the origin is not part of equality")
        #expect(FaultHeader.failureHeaders.contains(FaultHeader.attempts))
        #expect(!FaultHeader.failureHeaders.contains(FaultHeader.originalExchange))
        #expect(!FaultHeader.failureHeaders.contains(FaultHeader.redriveCount))
    }

    @Test("known-error rules: every given pattern must match; the first by priority wins; bad rules are refused")
    func ruleMatching() throws {
        let subject = KnownErrorRule.Subject(service: "transform", messageType: "chunk.validated",
                                             errorType: "plan.not-found", errorText: "there is no stored plan 'grades'")
        let broad = KnownErrorRule(id: "broad", errorTypePattern: "^plan\\.", severity: "medium", title: "Plan", priority: 50)
        let narrow = KnownErrorRule(id: "narrow", errorPattern: "stored plan 'grades'", servicePattern: "^transform$",
                                    severity: "high", title: "Grades plan", priority: 10)
        let other = KnownErrorRule(id: "other", errorPattern: "grades", servicePattern: "^ingest$", severity: "low",
                                   title: "Ingest", priority: 1)
        let compiled = try [broad, narrow, other].map { try $0.compiled() }
        #expect(CompiledKnownError.firstMatch(compiled, subject)?.id == "narrow")
        var disabled = narrow
        disabled.enabled = false
        #expect(CompiledKnownError.firstMatch(try [broad, disabled, other].map { try $0.compiled() }, subject)?.id == "broad")
        #expect(try !other.compiled().matches(subject))
        let needsType = KnownErrorRule(id: "t", messageTypePattern: "job", severity: "low", title: "t")
        #expect(try !needsType.compiled().matches(.init(service: "s", messageType: nil, errorType: "e", errorText: "")))

        #expect(throws: SluiceError.self) { try KnownErrorRule(id: "x", errorPattern: "(", severity: "low", title: "t").validate() }
        #expect(throws: SluiceError.self) { try KnownErrorRule(id: "x", errorPattern: "a", severity: "urgent", title: "t").validate() }
        #expect(throws: SluiceError.self) { try KnownErrorRule(id: "x", severity: "low", title: "t").validate() }
        #expect(throws: SluiceError.self) { try KnownErrorRule(id: "a b", errorPattern: "a", severity: "low", title: "t").validate() }
        // Found by schemathesis: a priority wider than the column became a server error.
        #expect(throws: SluiceError.self) {
            try KnownErrorRule(id: "x", errorPattern: "a", severity: "low", title: "t", priority: -3_004_372_969).validate()
        }
    }

    @Test("the built-in catalog is valid, covers the pipeline's own causes, and its runbook links exist")
    func builtinCatalog() throws {
        let rules = try KnownErrorCatalog.defaults.map { rule -> CompiledKnownError in
            try rule.validate()
            return try rule.compiled()
        }
        #expect(Set(KnownErrorCatalog.defaults.map(\.id)).count == rules.count)
        func match(_ type: String, _ service: String = "ingest") -> String? {
            CompiledKnownError.firstMatch(rules, .init(service: service, messageType: "job.submit", errorType: type,
                                                        errorText: "text"))?.id
        }
        #expect(match("message.undecodable") == "message-malformed")
        #expect(match("message.properties-mismatch") == "message-malformed")
        #expect(match("message.unsupported-version") == "message-unknown-type")
        #expect(match("message.poison") == "message-poison" && match("broker.delivery_limit") == "message-poison")
        #expect(match("broker.expired") == "broker-expired")
        #expect(match("db.unavailable") == "db-unavailable")
        #expect(match("ingest.fetch.http-status") == "fetch-failed")
        #expect(match("plan.not-found", "transform") == "definition-missing")
        #expect(match("plan.unknown-column", "transform") == "plan-invalid")
        #expect(match("validate.header-mismatch", "validate") == "schema-mismatch")
        #expect(match("notify.webhook-failed", "notify") == "webhook-failed")
        #expect(match("something.else") == nil)
        let guide = try String(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("docs/failures.md"), encoding: .utf8)
        let anchors = Set(guide.split(separator: "\n").filter { $0.hasPrefix("#") }.map {
            $0.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).lowercased()
                .replacingOccurrences(of: " ", with: "-").filter { $0.isLetter || $0.isNumber || $0 == "-" }
        })
        for rule in KnownErrorCatalog.defaults {
            let anchor = String(rule.runbook?.split(separator: "#").last ?? "")
            #expect(anchors.contains(anchor), "docs/failures.md has no heading for #\(anchor)")
        }
    }

    @Test("alert thresholds fire once each, the highest crossed first")
    func thresholds() throws {
        let settings = try IncidentSettings(values: ConfigValues(["incident.alert.thresholds": "100,10,1000"]))
        #expect(settings.alertThresholds == [10, 100, 1000])
        #expect(settings.crossed(count: 9, alerted: 0) == nil)
        #expect(settings.crossed(count: 10, alerted: 0) == 10)
        #expect(settings.crossed(count: 11, alerted: 10) == nil)
        #expect(settings.crossed(count: 150, alerted: 0) == 100)
        #expect(throws: SluiceError.self) { try IncidentSettings(values: ConfigValues(["incident.alert.thresholds": "1"])) }
    }

    @Test("failure fingerprints group by service, type, error type and masked text")
    func fingerprints() {
        func failure(_ service: String, _ text: String) -> Failure {
            let delivery = Delivery(deliveryTag: 1, generation: 1, queue: "p.\(service).dlq", exchange: "p.dlx",
                                    routingKey: service, redelivered: false,
                                    properties: MessageProperties(messageId: UUID().uuidString, type: "chunk.validated", headers: [
                                        FaultHeader.service: .string(service), FaultHeader.errorType: .string("plan.not-found"),
                                        FaultHeader.errorText: .string(text)]),
                                    body: Array("{}".utf8))
            return Failure(deadLetter: delivery, topology: SluiceTopology(prefix: "p", subscriptions: ServiceCatalog.subscriptions))
        }
        let a = failure("transform", "no plan for job job-1a2b3c4d chunk 17")
        let b = failure("transform", "no plan for job job-9f9f9f9f chunk 3")
        #expect(a.fingerprint == b.fingerprint && a.id != b.id)
        #expect(a.fingerprint != failure("publish", "no plan for job job-1a2b3c4d chunk 17").fingerprint)
        #expect(a.targetQueue == "p.transform", "without a queue header, the DLQ names the service")
    }
}
