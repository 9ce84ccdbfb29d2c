import CivilTime
import Contracts
import Formats
import Foundation
import Logging
import Plans
import Runtime
import Tabular

/// Handles `job.submit`. Chunks are large and fully determined by the stored input, so they
/// are published directly with deterministic ids rather than through the outbox: after a
/// crash the redelivered submission re-reads the input and re-publishes the same ids, which
/// downstream inboxes drop. The job record, the inbox entry and the job's outcome event
/// (`job.ingested`, `job.skipped`, `job.republish` or `job.failed`) commit together at the end.
struct SubmitHandler: Sendable {
    let settings: IngestSettings
    let limits: RateLimits

    func handle(_ submission: Envelope<JobSubmit>, runtime: RuntimeContext, traceparent: String?) async throws {
        let repository = IngestRepository(runtime: runtime)
        if try await repository.alreadyHandled(submission.id) { return }
        let request = submission.payload
        // The payload's priority wins over the envelope's (a producer may set either); every
        // message this job causes inherits it from here.
        var submission = submission
        submission.priority = request.priority ?? submission.priority
        submission.project = request.project ?? submission.project
        let jobId = request.jobId ?? "job-" + MessageID.hash(request.idempotencyKey ?? submission.id)
        let key = request.idempotencyKey ?? jobId
        let name = request.name ?? request.source.path.map { ($0 as NSString).lastPathComponent }
            ?? request.source.url.flatMap { URL(string: $0)?.host } ?? request.source.kind.rawValue
        var job = JobContext(jobId: jobId, name: name, tags: request.tags ?? [:], schema: request.schema,
                             schemaName: request.schemaName, plan: request.plan, planName: request.planName, notify: request.notify,
                             options: request.options, submittedAt: submission.occurredAt,
                             priority: submission.priority)
        let registered = try await repository.register(jobId: jobId, key: key, submissionId: submission.id, name: name,
                                                       sourceKind: request.source.kind.rawValue,
                                                       sourceRef: request.source.path ?? request.source.url
                                                           ?? request.source.uploadId ?? request.source.jobId,
                                                       tags: job.tags, request: request)
        // Only the submission that created the job (or its redelivery after a crash) ingests
        // it; another submission with the same key, even while the first is still running,
        // changes nothing.
        guard registered.jobId == jobId, registered.state == "ingesting",
              registered.submissionId == nil || registered.submissionId == submission.id else {
            runtime.logger.info("duplicate submission ignored",
                                metadata: ["job_id": "\(registered.jobId)", "idempotency_key": "\(key)"])
            try await repository.finishDuplicate(submission)
            return
        }
        let outcome = JobOutcome(repository: repository, submission: submission, traceparent: traceparent)
        do {
            job.itemRate = try await admit(submission, job: job, runtime: runtime, traceparent: traceparent)
            try check(request)
            let stages = job.effectiveOptions.effectiveStages
            if stages == .publishOnly {
                try await outcome.republish(job, of: request.source.jobId ?? "")
                return
            }
            if request.name == nil, request.source.kind == .url, let filename = SourceAcquirer.filename(of: request.source) {
                job.name = filename
            }
            // Made at the first rows, so the chunks carry the job as named by then (an upload's file name).
            // Text inputs have NUL replaced as they are read; spreadsheet cells are checked one by one.
            var chunker: Chunker?
            func chunk(_ rows: [SourceRow], spreadsheet: Bool = false) async throws {
                if chunker == nil { chunker = try makeChunker(job, submission: submission, request: request, spreadsheet: spreadsheet) }
                try await chunker!.take(rows, runtime: runtime, traceparent: traceparent)
            }
            let store = InputStore(runtime: runtime)
            var parser = InputParser(settings: settings, request: request, filename: SourceAcquirer.filename(of: request.source))
            // One read of the source: each block is parsed and chunked as it is stored, unless the
            // input's hash must be known first (an unchanged dataset is skipped before any chunk)
            // or nothing is to be parsed. A permanent parse problem stops the parsing, not the
            // storing: the failed job keeps its whole input for a look or an analysis-only re-run.
            let skipsUnchanged = job.effectiveOptions.datasetKey != nil && job.effectiveOptions.force != true && stages != .analysisOnly
            let streams = !skipsUnchanged && stages != .ingestOnly
            var parseFailure: SluiceError?
            func parse(_ block: [UInt8]) async throws {
                guard parseFailure == nil else { return }
                do {
                    let rows = try parser.feed(block)
                    if !rows.isEmpty { try await chunk(rows) }
                } catch let error as SluiceError where error.disposition == .permanent {
                    parseFailure = error
                }
            }
            let acquired = try await SourceAcquirer(settings: settings, store: store)
                .acquire(request.source, tap: streams ? { block in try await parse(block) } : nil)
            let input = acquired.input
            if request.name == nil, let filename = input.filename, [.upload, .url].contains(request.source.kind) {
                job.name = filename
            }
            try await repository.attach(input: input, jobId: jobId, name: job.name, datasetKey: job.effectiveOptions.datasetKey)
            if skipsUnchanged, let datasetKey = job.effectiveOptions.datasetKey,
               let previous = try await repository.unchanged(datasetKey: datasetKey, sha256: input.sha256,
                                                             recipe: ProcessingRecipe.digest(job), jobId: jobId) {
                try await outcome.skip(job, datasetKey: datasetKey, sha256: input.sha256, previousJobId: previous)
                runtime.logger.info("unchanged input skipped", metadata: ["job_id": "\(jobId)", "dataset": "\(datasetKey)"])
                return
            }
            // A source stored before (an upload, an earlier job's input) names its file only now;
            // nothing was parsed from it yet, so the parser can start over knowing the name.
            if !acquired.tapped, parser.filename == nil, let filename = input.filename {
                parser = InputParser(settings: settings, request: request, filename: filename)
            }
            if stages == .ingestOnly {
                try parser.start(sample: try await store.firstBlock(input))
                job.warnings = parser.warnings.isEmpty ? nil : parser.warnings
                try await outcome.finish(job, chunks: 0, rows: 0, columns: [], source: parser.info(input), state: "stored")
                return
            }
            if !(streams && acquired.tapped) || parser.needsFile {
                try await parseStored(input, parser: &parser, store: store) { rows, spreadsheet in
                    try await chunk(rows, spreadsheet: spreadsheet)
                }
            } else {
                if let parseFailure { throw parseFailure }
                let rows = try parser.finish()
                if !rows.isEmpty { try await chunk(rows) }
            }
            job.warnings = parser.warnings.isEmpty ? nil : parser.warnings
            if chunker == nil { chunker = try makeChunker(job, submission: submission, request: request, spreadsheet: parser.needsFile) }
            let totals = try await chunker!.finish(runtime: runtime, traceparent: traceparent)
            try await outcome.finish(job, chunks: totals.chunks, rows: totals.rows, columns: totals.columns,
                                     source: parser.info(input), state: "ingested")
            runtime.logger.info("job ingested", metadata: [
                "job_id": "\(jobId)", "chunks": "\(totals.chunks)", "rows": "\(totals.rows)"])
        } catch let error as SluiceError where error.disposition == .permanent {
            runtime.logger.warning("job failed at ingest", metadata: ["job_id": "\(jobId)", "error": "\(error)"])
            try await outcome.fail(job, error: error)
        } catch let stop as IngestStop {
            try await stopped(stop, submission, job: job, outcome: outcome, runtime: runtime, traceparent: traceparent)
        }
    }

    private func makeChunker(_ job: JobContext, submission: Envelope<JobSubmit>, request: JobSubmit,
                             spreadsheet: Bool) throws -> Chunker {
        let standardizer = RowStandardizer(request.options?.standardize, replacesNUL: spreadsheet)
        var chunker = Chunker(job: job, submission: submission, chunkSize: try chunkSize(request), maxBytes: settings.maxChunkBytes,
                              batch: settings.publishBatch, standardizer: standardizer,
                              limits: settings.limits)
        // A plan with lookup steps needs its reference tables, which transform holds: it checks
        // the plan against the columns itself, failing the job just as early (before any row).
        if let plan = request.plan, plan.lookupTables.isEmpty {
            chunker.checkHeader = { columns in
                do { _ = try plan.stages(columns: columns) } catch let error as PlanError {
                    throw SluiceError.permanent(error.code.rawValue, "the job's plan is invalid: \(error.message)")
                }
            }
        }
        return chunker
    }

    /// Parses an input already in the store (an upload, an earlier job's input, an input whose
    /// hash was needed first, or an XLSX workbook, which is read from a temporary copy).
    private func parseStored(_ input: StoredInput, parser: inout InputParser, store: InputStore,
                             _ body: (_ rows: [SourceRow], _ spreadsheet: Bool) async throws -> Void) async throws {
        try parser.start(sample: try await store.firstBlock(input))
        if parser.needsFile {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-xlsx-\(MessageID.random()).xlsx").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try await store.copy(input, to: path)
            try await InputParser.readSpreadsheet(at: path, settings: settings, request: parser.request) { rows in
                try await body(rows, true)
            }
            return
        }
        try await store.forEachBlock(input) { block in
            let rows = try parser.feed(block)
            if !rows.isEmpty { try await body(rows, false) }
        }
        let rows = try parser.finish()
        if !rows.isEmpty { try await body(rows, false) }
    }

    /// Request-level checks that need no I/O.
    private func check(_ request: JobSubmit) throws {
        _ = try chunkSize(request)
        let stages = request.options?.effectiveStages ?? .all
        if (stages == .analysisOnly || stages == .publishOnly), request.source.kind != .job {
            throw SluiceError.permanent("ingest.stage-needs-job-source",
                "stages '\(stages.rawValue)' works on an earlier job: give source {\"kind\": \"job\", \"jobId\": …}")
        }
        if let share = request.options?.invalidRows?.maxInvalidShare, !(0...1).contains(share) {
            throw SluiceError.permanent("ingest.invalid-policy", "invalidRows.maxInvalidShare must be between 0 and 1, got \(share)")
        }
        if let day = request.options?.runDate, !CivilDate.isDay(day) {
            throw SluiceError.permanent("ingest.invalid-run-date", "options.runDate is a date, YYYY-MM-DD; got '\(day)'")
        }
    }

    private func chunkSize(_ request: JobSubmit) throws -> Int {
        let size = request.chunkSize ?? settings.defaultChunkSize
        guard (1...settings.maxChunkSize).contains(size) else {
            throw SluiceError.permanent("ingest.invalid-chunk-size",
                                        "chunkSize must be between 1 and \(settings.maxChunkSize), got \(size)")
        }
        return size
    }
}
