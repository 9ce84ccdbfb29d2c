import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime

/// Operator actions on dead letters: re-drive (one, a selection, or a whole incident) and
/// discard. A re-drive's set is frozen when it is asked for: its dead letters move to
/// `redriving` in the same transaction that records the re-drive, so later failures, or a
/// second operator asking at the same time, never sweep them in twice.
struct DeadLetterDesk {
    let runtime: RuntimeContext
    let settings: IncidentSettings

    func redrive(_ request: RedriveRequest, actor: String) async throws -> RedrivePlan {
        let rate = request.rate ?? settings.redriveRate
        guard rate > 0 else { throw SluiceError.permanent("redrive.invalid-rate", "rate must be above 0 messages per second") }
        let dryRun = request.dryRun ?? false
        let (candidates, skipped) = try await select(request)
        if dryRun {
            try await runtime.database.transaction { connection in
                try await Timeline(runtime: runtime).audit(actor: actor, action: "redrive.dry-run",
                    target: request.incidentId ?? "selection", ["messages": "\(candidates.count)"], on: connection)
            }
            return RedrivePlan(redrive: nil, dryRun: true, deadLetters: candidates, skipped: skipped)
        }
        let id = "rd-" + MessageID.random()
        return try await runtime.transaction { connection, emitter in
            let deadLetters = DeadLetterRepository(runtime: runtime)
            let frozen = Set(try await deadLetters.setState(candidates.map(\.id), to: "redriving", reason: "re-drive \(id)",
                                                            from: ["pending"], on: connection))
            let items = candidates.filter { frozen.contains($0.id) }
            var skipped = skipped
            for lost in candidates where !frozen.contains(lost.id) { skipped[lost.id] = "taken by another re-drive or discarded just now" }
            guard !items.isEmpty else {
                throw SluiceError.permanent("redrive.nothing-to-send",
                    "nothing to re-drive: \(skipped.isEmpty ? "no pending dead letters" : skipped.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "; "))")
            }
            let canary = request.canary ?? true
            let redrive = Redrive(id: id, incidentId: request.incidentId, state: canary ? "canary" : "running", rate: rate,
                                  canary: canary, total: items.count, sent: 0, succeeded: 0, failed: 0, actor: actor,
                                  stopReason: nil, createdAt: Date(), finishedAt: nil)
            let redrives = RedriveRepository(runtime: runtime)
            try await redrives.create(redrive, items: items.map(\.id), on: connection)
            if !canary { try await redrives.setState(id, "running", on: connection) }
            try await Timeline(runtime: runtime).audit(actor: actor, action: "redrive.start", target: request.incidentId ?? id,
                ["redrive": id, "messages": "\(items.count)", "rate": "\(rate)", "canary": "\(canary)"], on: connection)
            let byIncident = Dictionary(grouping: items.compactMap(\.incidentId), by: { $0 })
            for (incidentId, members) in byIncident.sorted(by: { $0.key < $1.key }) {
                try await connection.query("""
                    UPDATE incidents SET redrives = redrives + 1, redriven = redriven + \(members.count), updated_at = now()
                    WHERE id = \(incidentId)
                    """, logger: runtime.logger)
                try await RedriveLedger(runtime: runtime).note(incidentId, "redrive-started", actor: actor,
                    ["redrive": id, "messages": "\(members.count)", "rate": "\(rate)", "canary": "\(canary)"],
                    on: connection, emitter: emitter)
            }
            runtime.logger.info("re-drive started", metadata: ["redrive": "\(id)", "messages": "\(items.count)"])
            return RedrivePlan(redrive: try await redrives.get(id, on: connection) ?? redrive, dryRun: false,
                               deadLetters: items, skipped: skipped)
        }
    }

    /// The dead letters asked for that can be re-driven, and why the others cannot.
    private func select(_ request: RedriveRequest) async throws -> ([StoredFailure], [String: String]) {
        let repository = DeadLetterRepository(runtime: runtime)
        var found: [StoredFailure]
        var skipped: [String: String] = [:]
        if let incidentId = request.incidentId {
            guard try await IncidentRepository(runtime: runtime).get(incidentId) != nil else {
                throw SluiceError.permanent("incident.not-found", "there is no incident \(incidentId)")
            }
            var filter = DeadLetterFilter()
            filter.incidentId = incidentId
            filter.limit = 1_000_000
            found = try await repository.search(filter).reversed()
        } else {
            let ids = request.deadLetterIds ?? []
            guard !ids.isEmpty else {
                throw SluiceError.permanent("redrive.empty-selection", "name an incident or at least one dead letter")
            }
            let looked = try await runtime.database.transaction { connection in
                var looked: [(id: String, failure: StoredFailure?)] = []
                for id in ids { looked.append((id, try await repository.get(id, on: connection))) }
                return looked
            }
            found = looked.compactMap(\.failure)
            for (id, failure) in looked where failure == nil { skipped[id] = "no such dead letter" }
        }
        // A whole incident passes over settled failures silently; a selection explains each.
        let explain = request.incidentId == nil
        var eligible: [StoredFailure] = []
        for failure in found {
            switch (failure.kind, failure.state) {
            case ("job-failed", _): skipped[failure.id] = "a failed job, not a message: submit the job again"
            case ("metric-failed", _):
                skipped[failure.id] = "a failed metric computation, not a message: compute it again (sluice metrics compute)"
            case ("schedule-overdue", _):
                skipped[failure.id] = "a schedule that stopped firing, not a message: see its history, backfill what it missed"
            case (_, "pending"): eligible.append(failure)
            case (_, let state) where explain: skipped[failure.id] = "it is \(state)"
            default: break
            }
        }
        return (eligible, skipped)
    }

    /// Discards dead letters (by id, or every pending one of an incident) with a reason.
    func discard(ids: [String], incidentId: String?, reason: String, actor: String) async throws -> [String] {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw SluiceError.permanent("dead-letter.discard-needs-reason", "say why the dead letters are discarded (--reason)")
        }
        var targets = ids
        if let incidentId {
            var filter = DeadLetterFilter()
            filter.incidentId = incidentId
            filter.state = "pending"
            filter.limit = 1_000_000
            targets += try await DeadLetterRepository(runtime: runtime).search(filter).map(\.id)
        }
        return try await runtime.transaction { [targets] connection, emitter in
            let repository = DeadLetterRepository(runtime: runtime)
            let changed = try await repository.setState(targets, to: "discarded", reason: reason, from: ["pending"],
                                                        on: connection)
            let timeline = Timeline(runtime: runtime)
            var perIncident: [String: Int] = [:]
            for id in changed {
                try await timeline.audit(actor: actor, action: "dead-letter.discard", target: id, ["reason": reason],
                                         on: connection)
                if let incident = try await repository.get(id, on: connection)?.incidentId { perIncident[incident, default: 0] += 1 }
            }
            for (incident, count) in perIncident.sorted(by: { $0.key < $1.key }) {
                try await RedriveLedger(runtime: runtime).note(incident, "discarded", actor: actor,
                    ["messages": "\(count)", "reason": reason], on: connection, emitter: emitter)
            }
            return changed
        }
    }

    /// Stops a running re-drive (messages already sent still settle).
    func stop(_ redriveId: String, actor: String) async throws -> Redrive {
        try await runtime.transaction { connection, emitter in
            let redrives = RedriveRepository(runtime: runtime)
            let stopped = try await RedriveLedger(runtime: runtime).stop(redriveId, reason: "stopped by \(actor)",
                                                                         actor: actor, on: connection, emitter: emitter)
            guard let redrive = try await redrives.get(redriveId, on: connection) else {
                throw SluiceError.permanent("redrive.not-found", "there is no re-drive \(redriveId)")
            }
            guard stopped else {
                throw SluiceError.permanent("redrive.invalid-transition", "re-drive \(redriveId) is already \(redrive.state)")
            }
            try await Timeline(runtime: runtime).audit(actor: actor, action: "redrive.stop", target: redriveId, on: connection)
            return redrive
        }
    }
}
