import Chunks
import Columnar
import Foundation
import Contracts
import Definitions
import Plans
import PostgresNIO
import Runtime
import Tabular
import Toolkit

/// Handles `chunk.validated`: applies the job's processing plan (inline or stored, pinned
/// per job) to the chunk, or the standard clean-up when the job has no plan. A plan that
/// does not compile against the chunk's columns fails the job before any row is touched
/// (one deterministic `job.failed` for all chunks); a stored plan that does not exist yet
/// dead-letters the chunk instead (an operator stores it and re-drives).
///
/// A plan with call steps does its work before the handler's transaction
/// (``prepare(_:runtime:)``): its HTTP requests take minutes, which must not hold a
/// transaction open, and the transaction only emits what they produced. Any other chunk is
/// transformed in the transaction, after the inbox claim, so a duplicate costs nothing.
struct ChunkTransformer: Sendable {
    let plans: PlanCache
    let settings: TransformSettings

    /// What the part before the transaction came to.
    enum Prepared: Sendable {
        /// The job fails (its plan does not compile, or names a secret the service lacks).
        case failed(JobFailed)
        /// Called and transformed: only to emit.
        case transformed(ChunkTransformed)
        /// No call step: transform in the transaction.
        case rows(PlanCache.Resolved?)
    }

    /// What the plan's `today()` and `run_date()` read for `job`: the same for every chunk and retry.
    static func dates(_ job: JobContext) -> PlanDates {
        PlanDates(submittedAt: job.submittedAt, runDate: job.effectiveOptions.runDate)
    }

    func prepare(_ envelope: Envelope<ChunkValidated>, runtime: RuntimeContext) async throws -> Prepared {
        let chunk = envelope.payload
        let job = chunk.job
        let resolved: PlanCache.Resolved?
        do {
            resolved = try await plans.resolve(job, project: envelope.project, columns: chunk.columns, runtime: runtime,
                                               maxConcurrency: settings.maxConcurrency)
            let named = Set(resolved?.stages.calls.flatMap(\.secrets) ?? [])
            if let missing = named.subtracting(settings.secrets.keys).sorted().first {
                throw SluiceError.permanent("call.unknown-secret", "the job's plan uses {{secret:\(missing)}}, which the "
                    + "transform service does not have; set call.secrets.\(missing) in its configuration")
            }
            if let unbound = named.filter({ (settings.secretHosts[$0] ?? []).isEmpty }).sorted().first {
                throw SluiceError.permanent("call.secret-without-hosts", "the job's plan uses {{secret:\(unbound)}}, which "
                    + "may be sent nowhere yet; list the hosts it may go to in call.hosts.\(unbound)")
            }
        } catch let error as SluiceError where error.disposition == .permanent
                    && !["plan.not-found", "reference.not-found"].contains(error.code) {
            // A missing stored plan or reference table is not the job's fault: the chunk is
            // dead-lettered, the job stalls, and once someone stores it a re-drive carries on.
            return .failed(JobFailed(job: job, stage: "transform", code: error.code, reason: error.message))
        }
        if let resolved, resolved.stages.single == nil {
            return .transformed(try await PlanDates.$current.withValue(Self.dates(job)) {
                try await withCalls(envelope, resolved: resolved, runtime: runtime)
            })
        }
        return .rows(resolved)
    }

    func complete(_ envelope: Envelope<ChunkValidated>, _ prepared: Prepared, context: HandlerContext) async throws {
        var prepared = prepared
        if case .rows(let resolved) = prepared {
            prepared = .transformed(try await PlanDates.$current.withValue(Self.dates(envelope.payload.job)) {
                try await rowsOnly(envelope, resolved: resolved, runtime: context.runtime)
            })
        }
        switch prepared {
        case .failed(let failure):
            try context.emit(Envelope(id: MessageID.job(failure.job.jobId, .jobFailed), causedBy: envelope, payload: failure))
        case .transformed(let transformed):
            try context.emit(Envelope(id: MessageID.chunk(transformed.job.jobId, .chunkTransformed, transformed.chunkIndex),
                                      causedBy: envelope, payload: transformed))
            if let note = Self.callNote(transformed) {
                let jobId = transformed.job.jobId
                try context.emit(Envelope(id: "status/\(jobId)/calls/\(transformed.chunkIndex)", causedBy: envelope, jobId: jobId,
                                          payload: note))
            }
        case .rows:
            break
        }
    }

    /// The job's history shows a chunk's item failures and retries (one event per chunk, not per item).
    static func callNote(_ chunk: ChunkTransformed) -> JobStatusChanged? {
        guard let calls = chunk.calls, calls.failed > 0 || calls.retries > 0 else { return nil }
        var text = "chunk \(chunk.chunkIndex + 1): \(calls.succeeded) of \(calls.items) call items succeeded"
        if calls.failed > 0 { text += ", \(calls.failed) failed for good" }
        if calls.retries > 0 { text += ", \(calls.retries) retries" }
        return JobStatusChanged(jobId: chunk.job.jobId, state: .inProgress, service: "transform", reason: text,
                                kind: calls.failed > 0 ? "items_failed" : "items_retried")
    }

    /// A plan without calls (or none): row steps only, untouched columns carried undecoded.
    private func rowsOnly(_ envelope: Envelope<ChunkValidated>, resolved: PlanCache.Resolved?,
                          runtime: RuntimeContext) async throws -> ChunkTransformed {
        let chunk = envelope.payload
        let job = chunk.job
        let chunks = runtime.chunks
        let compiled = resolved?.stages.single
        // Without a schema the cells are still text: read numbers as numbers first, so plan
        // expressions and statistics see them (with a schema, validate already typed them).
        let typed = job.schema != nil || job.schemaName != nil
        // Columns the plan neither reads nor writes stay columnar: never decoded, gathered
        // from this chunk into the next (docs/benchmarks.md has what that saves).
        let carrying = typed && compiled != nil
        let stored = try await chunks.readRecords(chunk.data, leaving: carrying ? compiled!.untouchedInputs : [],
                                                  keepingColumns: carrying)
        var records = typed ? stored.records : stored.records.map(StandardCleanup.apply)
        var columns = chunk.columns
        var carried: [Int: ArrowArray] = [:]
        var errors: [RecordError] = []
        var invalid = chunk.invalidCount
        var filtered: Int?
        var appended: [Record]?
        var notes: [String]?
        if let compiled {
            let result = compiled.run(records)
            records = result.records
            columns = compiled.outputColumns
            errors += result.errors
            invalid += result.dropped
            filtered = result.filtered
            for (output, input) in compiled.carriedColumns where carrying && input < stored.columns.count {
                // An undecoded column is always gatherable; a placeholder written instead would lose it.
                guard let kept = stored.columns[input].take(result.sourceRows) else {
                    precondition(stored.undecoded[input] == nil, "an undecoded column that cannot be gathered")
                    continue
                }
                carried[output] = kept
            }
            if chunk.chunkIndex == 0 {
                let extra = compiled.appendedRecords()
                appended = extra.records.isEmpty ? nil : extra.records
                errors += extra.errors
                notes = compiled.notes.isEmpty ? nil : compiled.notes
            }
        }
        return try await finish(envelope, records: records, columns: columns, carried: carried, errors: errors,
                                invalid: invalid, filtered: filtered, appended: appended, notes: notes,
                                planRef: resolved?.reference, calls: nil, lookups: resolved?.lookups ?? [], runtime: runtime)
    }

    /// A plan with call steps: row stages run as usual, each call stage through the runner.
    private func withCalls(_ envelope: Envelope<ChunkValidated>, resolved: PlanCache.Resolved,
                           runtime: RuntimeContext) async throws -> ChunkTransformed {
        let chunk = envelope.payload
        let job = chunk.job
        let typed = job.schema != nil || job.schemaName != nil
        let stored = try await runtime.chunks.readRecords(chunk.data, leaving: [], keepingColumns: false)
        var records = typed ? stored.records : stored.records.map(StandardCleanup.apply)
        var errors: [RecordError] = []
        var invalid = chunk.invalidCount
        var filtered = 0
        var tally = CallTally()
        let runner = CallRunner(runtime: runtime, settings: settings)
        for stage in resolved.stages.stages {
            switch stage {
            case .rows(let compiled):
                let result = compiled.run(records)
                records = result.records
                errors += result.errors
                invalid += result.dropped
                filtered += result.filtered
            case .call(let call):
                let outcome: CallRunner.Outcome
                do {
                    outcome = try await runner.run(call, records: records, job: job, project: envelope.project,
                                                   dryRun: job.options?.dryRun == true)
                } catch WorkInterrupt.rateLimited(let until, let reason) {
                    await noteRateLimited(envelope, until: until, reason: reason, runtime: runtime)
                    throw WorkInterrupt.rateLimited(until: until, reason: reason)
                }
                records = outcome.records
                errors += outcome.errors
                invalid += outcome.dropped
                tally.add(outcome.tally)
            }
        }
        let notes = chunk.chunkIndex == 0 && !resolved.stages.notes.isEmpty ? resolved.stages.notes : nil
        // Errors in line order, as a validation report lists them.
        errors.sort { $0.line < $1.line }
        return try await finish(envelope, records: records, columns: resolved.stages.outputColumns, carried: [:],
                                errors: errors, invalid: invalid, filtered: filtered, appended: nil, notes: notes,
                                planRef: resolved.reference, calls: tally, lookups: resolved.lookups, runtime: runtime)
    }

    /// Stores the chunk's records and errors (before the transaction: the message names them).
    private func finish(_ envelope: Envelope<ChunkValidated>, records: [Record], columns: [String],
                        carried: [Int: ArrowArray], errors: [RecordError], invalid: Int, filtered: Int?,
                        appended: [Record]?, notes: [String]?, planRef: String?, calls: CallTally?, lookups: [String],
                        runtime: RuntimeContext) async throws -> ChunkTransformed {
        let chunk = envelope.payload
        let job = chunk.job
        let data = try await runtime.chunks.writeRecords(records, columns: columns, jobId: job.jobId, stage: .transformed,
                                                         index: chunk.chunkIndex, carried: carried)
        let own = try await runtime.chunks.writeErrors(errors, jobId: job.jobId, stage: .transformErrors, index: chunk.chunkIndex)
        return ChunkTransformed(job: job, chunkIndex: chunk.chunkIndex, columns: columns, data: data, invalidCount: invalid,
                                errors: [chunk.errors, own].compactMap { $0 }, uniqueKeys: chunk.uniqueKeys, keys: chunk.keys,
                                appended: appended, filteredCount: filtered, notes: notes, schemaRef: chunk.schemaRef,
                                planRef: planRef, validatedAt: envelope.occurredAt, calls: calls,
                                lookups: chunk.chunkIndex == 0 && !lookups.isEmpty ? lookups : nil)
    }

    /// The job's history says why its items wait (best effort: a note never stops the job).
    private func noteRateLimited(_ envelope: Envelope<ChunkValidated>, until: Date, reason: String,
                                 runtime: RuntimeContext) async {
        let jobId = envelope.payload.job.jobId
        let status = JobStatusChanged(jobId: jobId, state: .rateLimited, service: "transform", reason: reason, notBefore: until)
        let stamp = Int(until.timeIntervalSince1970 * 1000)
        await runtime.note(status, id: "status/\(jobId)/rate_limited/items/\(stamp)", causedBy: envelope)
    }
}
