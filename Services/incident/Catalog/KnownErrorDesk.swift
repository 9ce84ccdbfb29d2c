import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime

/// Managing the known-error catalog: every change is audited and re-matches the incidents
/// that are not archived, in the same transaction, so the catalog and the incidents never
/// disagree.
struct KnownErrorDesk {
    let runtime: RuntimeContext

    /// What testing a rule against stored failures found.
    struct TestResult: Codable, Sendable {
        /// Failures examined (the most recent ones, up to the limit).
        var examined: Int
        var matched: Int
        /// Matching failures per incident.
        var incidents: [String: Int]
        /// Some of the matching failures.
        var samples: [StoredFailure]
    }

    func add(_ rule: KnownErrorRule, actor: String) async throws -> KnownErrorRule {
        var rule = rule
        rule.builtin = false
        rule.version = 1
        try rule.validate()
        return try await runtime.transaction { [rule] connection, emitter in
            let repository = KnownErrorRepository(runtime: runtime)
            guard try await repository.insert(rule, on: connection) else {
                throw SluiceError.permanent("known-error.exists", "a rule '\(rule.id)' exists; change it with PUT /known-errors/\(rule.id)")
            }
            try await Timeline(runtime: runtime).audit(actor: actor, action: "known-error.add", target: rule.id,
                                                       ["title": rule.title], on: connection)
            try await rematch(actor: actor, on: connection, emitter: emitter)
            return rule
        }
    }

    func update(_ rule: KnownErrorRule, actor: String) async throws -> KnownErrorRule {
        try rule.validate()
        return try await runtime.transaction { connection, emitter in
            guard let stored = try await KnownErrorRepository(runtime: runtime).update(rule, on: connection) else {
                throw SluiceError.permanent("known-error.not-found", "there is no rule '\(rule.id)'")
            }
            try await Timeline(runtime: runtime).audit(actor: actor, action: "known-error.update", target: rule.id,
                                                       ["version": "\(stored.version)", "enabled": "\(stored.enabled)"],
                                                       on: connection)
            try await rematch(actor: actor, on: connection, emitter: emitter)
            return stored
        }
    }

    func delete(_ id: String, actor: String) async throws {
        try await runtime.transaction { connection, emitter in
            let repository = KnownErrorRepository(runtime: runtime)
            guard let rule = try await repository.all(on: connection).first(where: { $0.id == id }) else {
                throw SluiceError.permanent("known-error.not-found", "there is no rule '\(id)'")
            }
            guard !rule.builtin else {
                throw SluiceError.permanent("known-error.builtin", "'\(id)' ships with Sluice and would come back; disable it instead (enabled: false)")
            }
            _ = try await repository.delete(id, on: connection)
            try await Timeline(runtime: runtime).audit(actor: actor, action: "known-error.delete", target: id, on: connection)
            try await rematch(actor: actor, on: connection, emitter: emitter)
        }
    }

    /// Tries `rule` on the most recent stored failures without saving it.
    func test(_ rule: KnownErrorRule, limit: Int) async throws -> TestResult {
        var rule = rule
        rule.enabled = true
        // Only the patterns matter for a test.
        if rule.severity.isEmpty { rule.severity = "medium" }
        if rule.title.isEmpty { rule.title = "test" }
        try rule.validate()
        let compiled = try rule.compiled()
        var filter = DeadLetterFilter()
        filter.limit = limit
        let failures = try await DeadLetterRepository(runtime: runtime).search(filter)
        var result = TestResult(examined: failures.count, matched: 0, incidents: [:], samples: [])
        for failure in failures where compiled.matches(.init(service: failure.service, messageType: failure.messageType,
                                                             errorType: failure.errorType, errorText: failure.errorText)) {
            result.matched += 1
            if let incident = failure.incidentId { result.incidents[incident, default: 0] += 1 }
            if result.samples.count < 20 { result.samples.append(failure) }
        }
        return result
    }

    /// Re-matches every incident that is not archived against the current catalog.
    func rematch(actor: String, on connection: PostgresConnection, emitter: Emitter) async throws {
        let rules = try await KnownErrorRepository(runtime: runtime).compiled(on: connection)
        let incidents = IncidentRepository(runtime: runtime)
        let ledger = RedriveLedger(runtime: runtime)
        for (incident, version) in try await incidents.unarchived(on: connection) {
            let subject = KnownErrorRule.Subject(service: incident.service, messageType: incident.messageType,
                                                 errorType: incident.errorType, errorText: incident.sampleError)
            let rule = CompiledKnownError.firstMatch(rules, subject)
            guard rule?.id != incident.ruleId || rule?.version != version else { continue }
            try await incidents.apply(rule: rule, to: incident.id, on: connection)
            var detail = ["previous": incident.ruleId ?? "none"]
            if let rule { detail["rule"] = rule.id; detail["version"] = "\(rule.version)"; detail["severity"] = rule.severity }
            try await ledger.note(incident.id, rule == nil ? "rule-cleared" : "rule-matched", actor: actor, detail,
                                  on: connection, emitter: emitter)
        }
    }
}
