import Chunks
import Columnar
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
struct ChunkTransformer: Sendable {
    let plans: PlanCache

    func handle(_ envelope: Envelope<ChunkValidated>, context: HandlerContext) async throws {
        let chunk = envelope.payload
        let job = chunk.job
        let chunks = context.runtime.chunks
        let resolved: PlanCache.Resolved?
        do {
            resolved = try await plans.resolve(job, columns: chunk.columns, runtime: context.runtime,
                                               connection: context.connection)
        } catch let error as SluiceError where error.disposition == .permanent && error.code != "plan.not-found" {
            // A missing stored plan is not the job's fault: the chunk is dead-lettered, the
            // job stalls, and once an operator stores the plan a re-drive carries on.
            try context.emit(Envelope(id: MessageID.job(job.jobId, .jobFailed), causedBy: envelope,
                                      payload: JobFailed(job: job, stage: "transform", code: error.code,
                                                         reason: error.message)))
            return
        }
        // Without a schema the cells are still text: read numbers as numbers first, so plan
        // expressions and statistics see them (with a schema, validate already typed them).
        let typed = job.schema != nil || job.schemaName != nil
        // Columns the plan neither reads nor writes stay columnar: never decoded, gathered
        // from this chunk into the next (docs/benchmarks.md has what that saves).
        let carrying = typed && resolved != nil
        let stored = try await chunks.readRecords(chunk.data, leaving: carrying ? resolved!.compiled.untouchedInputs : [],
                                                  keepingColumns: carrying)
        var records = typed ? stored.records : stored.records.map(StandardCleanup.apply)
        var columns = chunk.columns
        var carried: [Int: ArrowArray] = [:]
        var errors: [RecordError] = []
        var invalid = chunk.invalidCount
        var filtered: Int?
        var appended: [Record]?
        var notes: [String]?
        if let resolved {
            let result = resolved.compiled.run(records)
            records = result.records
            columns = resolved.compiled.outputColumns
            errors += result.errors
            invalid += result.dropped
            filtered = result.filtered
            for (output, input) in resolved.compiled.carriedColumns where carrying && input < stored.columns.count {
                // An undecoded column is always gatherable; a placeholder written instead would lose it.
                guard let kept = stored.columns[input].take(result.sourceRows) else {
                    precondition(stored.undecoded[input] == nil, "an undecoded column that cannot be gathered")
                    continue
                }
                carried[output] = kept
            }
            if chunk.chunkIndex == 0 {
                let extra = resolved.compiled.appendedRecords()
                appended = extra.records.isEmpty ? nil : extra.records
                errors += extra.errors
                notes = resolved.compiled.notes.isEmpty ? nil : resolved.compiled.notes
            }
        }
        // Stored before the transaction commits: the message it sends names them.
        let data = try await chunks.writeRecords(records, columns: columns, jobId: job.jobId, stage: .transformed,
                                                 index: chunk.chunkIndex, carried: carried)
        let own = try await chunks.writeErrors(errors, jobId: job.jobId, stage: .transformErrors, index: chunk.chunkIndex)
        try context.emit(Envelope(id: MessageID.chunk(job.jobId, .chunkTransformed, chunk.chunkIndex),
                                  causedBy: envelope,
                                  payload: ChunkTransformed(job: job, chunkIndex: chunk.chunkIndex, columns: columns,
                                                            data: data, invalidCount: invalid,
                                                            errors: [chunk.errors, own].compactMap { $0 },
                                                            uniqueKeys: chunk.uniqueKeys, keys: chunk.keys,
                                                            appended: appended,
                                                            filteredCount: filtered, notes: notes,
                                                            schemaRef: chunk.schemaRef, planRef: resolved?.reference,
                                                            validatedAt: envelope.occurredAt)))
    }
}

/// Compiled plans per job (bounded), so a job's chunks compile its plan once per replica.
final class PlanCache: Sendable {
    /// A job's plan, compiled, and where it came from.
    struct Resolved: Sendable {
        var compiled: CompiledPlan
        /// `name@version` for a stored plan; nil for an inline one.
        var reference: String?
    }

    private let entries = LockedValue<[(key: String, resolved: Resolved)]>([])
    private let capacity = 64

    func resolve(_ job: JobContext, columns: [String], runtime: RuntimeContext,
                 connection: PostgresConnection? = nil) async throws -> Resolved? {
        let key = job.jobId + "\u{1F}" + columns.joined(separator: "\u{1F}")
        if let hit = entries.update({ $0.first { $0.key == key }?.resolved }) { return hit }
        let plan: ProcessingPlan
        var reference: String?
        if let inline = job.plan {
            plan = inline
        } else if let name = job.planName {
            let stored = try await DefinitionStore(runtime: runtime, kind: "plan").resolve(name, jobId: job.jobId,
                                                                                          on: connection)
            plan = try Self.decode(stored.body)
            reference = stored.reference
        } else {
            return nil
        }
        let resolved = Resolved(compiled: try Self.compile(plan, columns: columns), reference: reference)
        entries.update {
            $0.append((key, resolved))
            if $0.count > capacity { $0.removeFirst($0.count - capacity) }
        }
        return resolved
    }

    static func compile(_ plan: ProcessingPlan, columns: [String]) throws -> CompiledPlan {
        do { return try plan.compiled(columns: columns) } catch {
            throw SluiceError.permanent(error.code.rawValue, "the job's plan is invalid: \(error.message)")
        }
    }

    static func decode(_ text: String) throws -> ProcessingPlan {
        do { return try ProcessingPlan.parse(text: text) } catch {
            throw SluiceError.permanent(error.code.rawValue, error.message)
        }
    }

    /// Checks a plan (JSON or YAML) for storing; returns it as canonical JSON.
    static func check(_ text: String) throws -> String {
        let plan = try decode(text)
        // Expressions are parsed now (columns are only known per job, so names are checked then).
        for (index, step) in plan.steps.enumerated() {
            var expressions: [String] = []
            if case .derive(let derive) = step { expressions.append(derive.expression) }
            if case .filter(let filter) = step { expressions += filter.condition.expressions }
            for text in expressions {
                do { _ = try PlanExpression(text) } catch {
                    throw SluiceError.permanent(error.code.rawValue, "step \(index + 1) (\(step.op)): \(error.message)")
                }
            }
        }
        return plan.jsonText()
    }
}
