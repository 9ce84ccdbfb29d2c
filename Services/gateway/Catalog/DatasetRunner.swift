import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime

/// Runs catalog entries (docs/datasets.md#running): one batch, one job per dataset, recorded
/// and sent in one transaction (the jobs through the outbox), so a run is all or nothing. The
/// API and a `datasets` schedule (`rerun.requested` with `catalog`) both run through here.
struct DatasetRunner {
    let runtime: RuntimeContext

    /// What to run and how.
    struct Plan: Sendable {
        var project: String
        var datasets: [Dataset]
        var stages: JobOptions.Stages
        var force: Bool
        var runDate: String?
        var batchName: String
        var actor: String
        /// Ids: the API's are random; a message's derive from its id (a redelivery runs nothing twice).
        var batchId: String
        var jobId: @Sendable (Dataset) -> String
        var causationId: String?
    }

    /// Runs `plan` in `connection`'s transaction, emitting through `emitter`.
    func run(_ plan: Plan, connection: PostgresConnection, emitter: Emitter) async throws -> DatasetRun {
        let jobs = JobRepository(runtime: runtime, connection: connection, emitter: emitter)
        var submissions: [(Dataset, JobSubmit)] = []
        var notRun: [DatasetNotRun] = []
        for dataset in plan.datasets {
            switch try await Self.source(for: dataset, stages: plan.stages, jobs: jobs) {
            case .success(let source):
                submissions.append((dataset, Self.submission(dataset, source: source, plan: plan)))
            case .failure(let reason):
                notRun.append(DatasetNotRun(dataset: dataset.entry.name, reason: reason.text))
            }
        }
        guard !submissions.isEmpty else { return DatasetRun(batch: nil, jobs: [], notRun: notRun) }
        let batches = BatchRepository(runtime: runtime, connection: connection)
        let now = Date()
        // Made closed: every job joins in this transaction, and the batch finishes when they end.
        try await batches.create(id: plan.batchId, project: plan.project, name: plan.batchName, submitter: plan.actor,
                                 notify: nil, open: false, at: now)
        var started: [DatasetRunJob] = []
        for (dataset, submission) in submissions {
            var submit = submission
            let jobId = plan.jobId(dataset)
            submit.jobId = jobId
            submit.idempotencyKey = jobId
            try await jobs.submitted(submit, jobId: jobId, at: now, actor: plan.actor, batchId: plan.batchId)
            let envelope = Envelope(id: "gateway/\(jobId)/submit", jobId: jobId, correlationId: jobId,
                                    causationId: plan.causationId, producer: "gateway", priority: submit.priority,
                                    project: plan.project, payload: submit)
            // A job of a paused project is kept, not sent, until the project resumes.
            if try await !jobs.holdIfPaused(envelope) { try emitter.emit(envelope) }
            started.append(DatasetRunJob(dataset: dataset.entry.name, job: jobId, source: submit.source.kind.rawValue))
        }
        return DatasetRun(batch: try await batches.find(plan.batchId), jobs: started, notRun: notRun)
    }

    struct Reason: Error { let text: String }

    /// Where the dataset's job reads from: its own source, or an earlier job for the
    /// stages that start from stored data.
    static func source(for dataset: Dataset, stages: JobOptions.Stages,
                       jobs: JobRepository) async throws -> Result<JobSubmit.Source, Reason> {
        switch stages {
        case .all, .ingestOnly:
            return .success(dataset.entry.source)
        case .analysisOnly:
            guard let earlier = try await jobs.latest(ofDataset: dataset.key, project: dataset.project, for: .analysisOnly) else {
                return .failure(Reason(text: "no stored input yet (no job of it has ended): run it with stages all or "
                                    + "ingest-only first"))
            }
            return .success(.job(earlier.id))
        case .publishOnly:
            guard let earlier = try await jobs.latest(ofDataset: dataset.key, project: dataset.project, for: .publishOnly) else {
                return .failure(Reason(text: "no completed job to publish again"))
            }
            return .success(.job(earlier.id))
        }
    }

    /// The `job.submit` of a dataset: its entry, the project's definitions, the run's choices.
    static func submission(_ dataset: Dataset, source: JobSubmit.Source, plan: Plan) -> JobSubmit {
        let entry = dataset.entry
        var options = entry.options ?? JobOptions()
        options.stages = plan.stages == .all ? nil : plan.stages
        options.outputs = entry.outputs ?? options.outputs
        options.datasetKey = dataset.key
        // Stored input and published results are not "unchanged input": only a fetch is compared.
        options.force = plan.force || source.kind == .job ? true : nil
        options.runDate = plan.runDate ?? options.runDate
        var tags = entry.tags ?? [:]
        tags["dataset"] = tags["dataset"] ?? entry.name
        return JobSubmit(name: entry.name, source: source, format: source.kind == .job ? nil : entry.format,
                         chunkSize: entry.chunkSize, tags: tags,
                         schemaName: entry.schemaName.map { "\(plan.project).\($0)" },
                         planName: entry.planName.map { "\(plan.project).\($0)" },
                         notify: entry.notify, options: options, project: plan.project, submittedBy: plan.actor,
                         priority: entry.priority, batch: plan.batchId)
    }
}
