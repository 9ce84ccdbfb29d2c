import Contracts
import Foundation
import ServiceRuntime
import Tabular
import Validation

/// Builds a job's artifacts once all its chunks are in, streaming the chunks in source order:
/// job-wide keys and dedupe are enforced, the dataset outputs are written part by part, and
/// the reports (summary, validation, results) follow. The invalid-rows policy then decides
/// between `job.published` and `job.failed`.
enum Assembler {
    static func completeIfReady<Cause>(jobId: String, repository: PublishRepository, context: HandlerContext,
                                       cause: Envelope<Cause>) async throws {
        guard let ready = try await repository.lockIfComplete(jobId: jobId) else { return }
        let job = ready.job
        let options = job.effectiveOptions
        let outputs = options.effectiveOutputs
        let dryRun = options.dryRun == true
        let connection = context.connection
        let logger = context.logger

        var columns = ready.columns
        var dataset: DatasetOutputs?
        var stats: TableStatistics?
        var aggregator: GroupAggregator?
        var keys = JobWideKeys()
        var tally = Tally()
        var errors: [RecordError] = []
        var appended: [Record] = []
        var meta = MetaSummary()

        func open(_ names: [String]) async throws {
            guard stats == nil else { return }
            columns = names
            stats = TableStatistics(columnNames: names)
            do {
                aggregator = try GroupAggregator(specs: options.aggregates ?? [], columns: names)
            } catch {
                throw SluiceError.permanent("publish.invalid-aggregate", "the job's aggregates are invalid: \(error.message)")
            }
            dataset = try await DatasetOutputs(jobId: jobId, columns: names, outputs: dryRun ? [] : outputs,
                                               connection: connection, logger: logger)
        }
        func emit(_ record: Record) async throws {
            stats?.add(row: record.values)
            aggregator?.add(row: record.values)
            try await dataset?.write(record)
            tally.valid += 1
        }

        try await repository.forEachChunk(jobId: jobId, count: ready.chunks) { chunk in
            try await open(chunk.columns ?? columns)
            meta.add(chunk.meta)
            appended += chunk.meta.appended ?? []
            tally.invalid += chunk.invalidCount
            tally.filtered += chunk.meta.filteredCount ?? 0
            errors += chunk.errors
            for record in chunk.records {
                let problems = keys.check(record, keys: chunk.meta.uniqueKeys ?? [])
                if !problems.isEmpty {
                    errors += problems
                    tally.invalid += 1
                    continue
                }
                if keys.isDuplicate(record) { continue }
                try await emit(record)
            }
        }
        try await open(columns)
        for record in appended { try await emit(record) }
        tally.appended = appended.count
        tally.deduplicated = keys.duplicatesDropped

        errors.sort { $0.line < $1.line }
        let reports = Reports(ready: ready, tally: tally, errors: errors, statistics: stats?.summary ?? TableSummary(rows: 0, columns: []),
                              aggregates: aggregator?.tables ?? [], meta: meta, connection: connection, logger: logger)
        var artifacts = try await dataset?.finish(sheets: reports.addSheets) ?? []
        artifacts += try await reports.store(outputs: outputs)
        let share = ready.rows == 0 ? 0 : Double(tally.invalid) / Double(ready.rows)
        if let policy = options.invalidRows, policy.action == .fail, share > (policy.maxInvalidShare ?? 0) {
            let reason = "\(tally.invalid) of \(ready.rows) rows are invalid (\(Reports.percent(share))), more than the "
                + "job's limit of \(Reports.percent(policy.maxInvalidShare ?? 0)); see validation.csv for every problem, "
                + "fix the input and submit again"
            artifacts += [try await reports.results(status: "failed", artifacts: artifacts.map(\.name))]
            try await repository.markPublished(jobId: jobId, outcome: nil, state: "failed")
            try context.emit(Envelope(id: MessageID.job(jobId, .jobFailed), causedBy: cause, producer: "publish",
                                      payload: JobFailed(job: job, stage: "publish", code: "publish.too-many-invalid",
                                                         reason: reason)))
            return
        }
        if outputs.contains(.results) {
            artifacts.append(try await reports.results(status: dryRun ? "dry-run" : "published",
                                                       artifacts: artifacts.map(\.name) + ["results.json"]))
        }
        let published = JobPublished(job: job, artifacts: artifacts.sorted { $0.name < $1.name }, rowsTotal: ready.rows,
                                     rowsValid: tally.valid, rowsInvalid: tally.invalid)
        try await repository.markPublished(jobId: jobId, outcome: published)
        try context.emit(Envelope(id: MessageID.job(jobId, .jobPublished), causedBy: cause, producer: "publish",
                                  payload: published))
        logger.info("job published", metadata: ["job_id": "\(jobId)", "rows": "\(tally.valid)", "dry_run": "\(dryRun)"])
    }
}

/// Row counts of a job being assembled.
struct Tally {
    var valid = 0
    var invalid = 0
    var filtered = 0
    var deduplicated = 0
    var appended = 0
}

/// What the chunks say about the job as a whole: schema and plan used, notes, stage times.
struct MetaSummary {
    var schemaRef: String?
    var planRef: String?
    var notes: [String] = []
    var firstValidated: Date?
    var lastValidated: Date?
    var firstTransformed: Date?
    var lastTransformed: Date?

    mutating func add(_ meta: ChunkMeta) {
        schemaRef = schemaRef ?? meta.schemaRef
        planRef = planRef ?? meta.planRef
        notes += meta.notes ?? []
        if let time = meta.validatedAt {
            firstValidated = min(firstValidated ?? time, time)
            lastValidated = max(lastValidated ?? time, time)
        }
        if let time = meta.transformedAt {
            firstTransformed = min(firstTransformed ?? time, time)
            lastTransformed = max(lastTransformed ?? time, time)
        }
    }
}
