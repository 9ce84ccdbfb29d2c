import APIModels
import Contracts
import Foundation
import Hosting
import Runtime

/// The gateway's part of scheduled actions (docs/schedules.md#actions): it re-runs datasets
/// by tag (`rerun.requested`) as its own API does, removes jobs past their retention
/// (`cleanup.requested`), and writes status digests (`digest.requested` → `digest.ready`).
struct ScheduledActions {
    let settings: GatewaySettings
    /// `retention.jobs.days`: jobs that ended longer ago are removed from the read model.
    let jobDays: Int

    func register(_ spec: inout ServiceSpec) {
        let actions = self
        spec.handlers.on(RerunRequested.self) { envelope, context in
            try await actions.rerun(envelope, context)
        }
        spec.handlers.on(CleanupRequested.self) { envelope, context in
            let jobs = JobRepository(runtime: context.runtime, connection: context.connection)
            let cutoff = Date().addingTimeInterval(-Double(actions.jobDays) * 86_400)
            var removed = 0
            // In rounds, so one transaction never holds a huge delete; a backlog goes on at the next cleanup.
            for _ in 0..<20 {
                let round = try await jobs.purgeJobs(endedBefore: cutoff)
                removed += round
                if round < 5_000 { break }
            }
            context.logger.info("cleanup: jobs removed", metadata: [
                "removed": "\(removed)", "older_than_days": "\(actions.jobDays)", "by": "\(envelope.payload.requestedBy)"])
        }
        spec.handlers.on(DigestRequested.self) { envelope, context in
            try await actions.digest(envelope, context)
        }
    }

    /// The latest original job of every dataset of the project with the tags, submitted again;
    /// with `catalog`, the catalog's entries with the tags, run as one batch.
    private func rerun(_ envelope: Envelope<RerunRequested>, _ context: HandlerContext) async throws {
        let request = envelope.payload
        let project = request.project ?? "default"
        if request.catalog == true { return try await runCatalog(envelope, project: project, context) }
        let jobs = JobRepository(runtime: context.runtime, connection: context.connection)
        var submitted = 0
        for earlier in try await jobs.latestPerDataset(project: project, tags: request.tags) {
            let jobId = "rerun-" + MessageID.hash(envelope.id, earlier.id)
            // The same dataset as the job it re-runs, never skipped as unchanged.
            var options = JobOptions(stages: request.stages ?? .analysisOnly)
            options.datasetKey = try await jobs.datasetKey(of: earlier.id)
            options.force = true
            let submit = JobSubmit(jobId: jobId, idempotencyKey: jobId, name: earlier.name, source: .job(earlier.id),
                                   tags: earlier.tags, options: options,
                                   project: project, submittedBy: request.requestedBy)
            try await jobs.submitted(submit, jobId: jobId, at: Date(), actor: request.requestedBy)
            try context.emit(Envelope(id: "\(jobId)/job.submit", jobId: jobId, correlationId: jobId, causationId: envelope.id,
                                      producer: "gateway", project: project, payload: submit))
            submitted += 1
        }
        context.logger.info("datasets re-run", metadata: ["project": "\(project)", "tags": "\(request.tags)",
                                                          "jobs": "\(submitted)", "by": "\(request.requestedBy)"])
    }

    /// A schedule's `cancelRunning` cancels the batch of an earlier fire (`scope: batch`). One
    /// whose `rerun.requested` has not been handled yet (still queued, or waiting for a retry)
    /// is made now, cancelled and empty, so that request runs nothing when it comes.
    static func cancelBatch(_ envelope: Envelope<JobControl>, _ context: HandlerContext) async throws {
        let control = envelope.payload
        let batches = BatchRepository(runtime: context.runtime, connection: context.connection)
        let actor = control.requestedBy ?? envelope.producer
        func cancelExisting() async throws {
            guard let batch = try await batches.find(control.target), batch.finishedAt == nil,
                  envelope.project == nil || envelope.project == batch.project else { return }
            try await BatchRoutes.cancel(batch, actor: actor, note: control.note, runtime: context.runtime,
                                         connection: context.connection, emitter: context.emitter)
        }
        guard envelope.producer == "scheduler", control.target.hasPrefix("bat-"), let project = envelope.project else {
            return try await cancelExisting()
        }
        // Made here unless it exists, or its request is making it right now (then the insert
        // waits for that commit and the batch is cancelled as it is).
        guard try await batches.createClosedIfAbsent(id: control.target, project: project, name: "cancelled before it ran",
                                                     submitter: actor, at: Date()) else {
            return try await cancelExisting()
        }
        try await batches.markCancelled(control.target, at: Date())
        try await batches.settle(control.target, at: Date(), emitter: context.emitter)
        context.logger.info("batch cancelled before it ran", metadata: ["batch": "\(control.target)", "by": "\(actor)"])
    }

    /// A `datasets` schedule's run of the catalog: ids from the message, so a redelivery runs
    /// nothing twice. A selection that matches nothing, or of which nothing can run, is logged
    /// and still makes its batch, empty and finished at once: the schedule that sent it
    /// follows the batch to its end (its overlap policy waits for it), and must see one.
    private func runCatalog(_ envelope: Envelope<RerunRequested>, project: String, _ context: HandlerContext) async throws {
        let request = envelope.payload
        let batches = BatchRepository(runtime: context.runtime, connection: context.connection)
        if let made = try await batches.find(RerunRequested.batchId(ofRequest: envelope.id)) {
            return context.logger.info("catalog run: its batch exists already (run, or cancelled before it ran)",
                                       metadata: ["batch": "\(made.id)", "state": "\(made.state)"])
        }
        let selected = try await DatasetRepository(runtime: context.runtime, connection: context.connection)
            .list(project: project, tags: request.tags)
        let stages = request.stages ?? .all
        let wanted = DatasetCheck.selection(tags: request.tags, names: nil)
        let messageId = envelope.id
        let plan = DatasetRunner.Plan(project: project, datasets: selected, stages: stages, force: false, runDate: request.runDate,
                                      batchName: "\(request.requestedBy): datasets \(wanted), \(stages.rawValue)",
                                      actor: request.requestedBy, batchId: RerunRequested.batchId(ofRequest: messageId),
                                      jobId: { "cat-" + MessageID.hash(messageId, $0.key) }, causationId: messageId)
        let run = try await DatasetRunner(runtime: context.runtime).run(plan, connection: context.connection,
                                                                        emitter: context.emitter)
        let notRun = run.notRun.map { "\($0.dataset): \($0.reason)" }
        guard run.batch == nil else {
            return context.logger.info("catalog run", metadata: [
                "project": "\(project)", "batch": "\(plan.batchId)", "jobs": "\(run.jobs.count)", "not_run": "\(notRun)",
                "by": "\(request.requestedBy)"])
        }
        context.logger.warning(selected.isEmpty ? "catalog run: no dataset matches" : "catalog run: no dataset can run", metadata: [
            "project": "\(project)", "selection": "\(wanted)", "not_run": "\(notRun)", "by": "\(request.requestedBy)"])
        try await batches.create(id: plan.batchId, project: project, name: plan.batchName, submitter: plan.actor, notify: nil,
                                 open: false, at: Date())
        try await batches.settle(plan.batchId, at: Date(), emitter: context.emitter)
    }

    /// Jobs, incidents and queues for the period, written for notify to send.
    private func digest(_ envelope: Envelope<DigestRequested>, _ context: HandlerContext) async throws {
        let request = envelope.payload
        let jobs = JobRepository(runtime: context.runtime, connection: context.connection)
        var digest = StatusDigest(jobs: try await jobs.submittedCounts(project: request.project, from: request.periodStart,
                                                                        to: request.periodEnd),
                                  incidentsOpened: [], incidentsResolved: [], incidentsOpen: 0, queues: [])
        let client = InternalClient(settings: settings)
        if let incidents = try? await client.json([Incident].self, "incident", .GET, "/incidents", query: "limit=1000") {
            let period = request.periodStart..<request.periodEnd
            digest.incidentsOpened = incidents.filter { period.contains($0.firstSeen) }.map(\.title)
            digest.incidentsResolved = incidents.filter { $0.resolvedAt.map(period.contains) ?? false }.map(\.title)
            digest.incidentsOpen = incidents.filter { !["resolved", "archived"].contains($0.state) }.count
        } else {
            digest.missing.append("incidents (the incident service did not answer)")
        }
        if let queues = try? await SystemRoutes.queues(settings) {
            digest.queues = queues.filter { $0.ready + $0.unacked > 0 }.map { ($0.name, $0.ready, $0.unacked) }
        } else {
            digest.missing.append("queues (the RabbitMQ management API did not answer)")
        }
        let (subject, text) = digest.render(title: request.title, project: request.project, start: request.periodStart,
                                            end: request.periodEnd)
        try context.emit(Envelope(id: "\(envelope.id)/digest", jobId: nil, correlationId: envelope.correlationId,
                                  causationId: envelope.id, producer: "gateway", project: request.project,
                                  payload: DigestReady(subject: subject, text: text, emails: request.emails, chat: request.chat)))
    }
}
