import Contracts
import Definitions
import Plans
import Runtime
import Toolkit

/// Compiled plans per job (bounded), so a job's chunks compile its plan once per replica.
final class PlanCache: Sendable {
    /// A job's plan, compiled, and where it came from.
    struct Resolved: Sendable {
        var stages: PlanStages
        /// `name@version` for a stored plan; nil for an inline one.
        var reference: String?
        /// The reference tables its `lookup` steps join, as `name@version`.
        var lookups: [String] = []
    }

    private let entries = LockedValue<[(key: String, resolved: Resolved)]>([])
    private let capacity = 64
    /// The reference tables jobs' lookups join, parsed once per version.
    let referenceCache = ReferenceCache()

    /// `project`: the job's project, whose reference tables its `lookup` steps join (a table
    /// `planning` of project `science` is stored as `science.planning`, as the gateway names it).
    func resolve(_ job: JobContext, project: String?, columns: [String], runtime: RuntimeContext,
                 maxConcurrency: Int) async throws -> Resolved? {
        let key = job.jobId + "\u{1F}" + columns.joined(separator: "\u{1F}")
        if let hit = entries.update({ $0.first { $0.key == key }?.resolved }) { return hit }
        let plan: ProcessingPlan
        var reference: String?
        if let inline = job.plan {
            plan = inline
        } else if let name = job.planName {
            let stored = try await DefinitionStore(runtime: runtime, kind: "plan").resolve(name, jobId: job.jobId)
            plan = try Self.decode(stored.body)
            reference = stored.reference
        } else {
            return nil
        }
        var tables = ReferenceTables()
        var lookups: [String] = []
        for name in plan.lookupTables {
            let qualified = project.map { "\($0).\(name)" } ?? name
            let (summary, table) = try await ReferenceStore(runtime: runtime).resolve(qualified, jobId: job.jobId, cache: referenceCache)
            let shown = project.map { summary.reference.hasPrefix($0 + ".") ? String(summary.reference.dropFirst($0.count + 1)) : summary.reference }
                ?? summary.reference
            tables.tables[name] = (shown, table)
            lookups.append(shown)
        }
        let resolved = Resolved(stages: try Self.compile(plan, columns: columns, maxConcurrency: maxConcurrency,
                                                         references: tables),
                                reference: reference, lookups: lookups)
        entries.update {
            $0.append((key, resolved))
            if $0.count > capacity { $0.removeFirst($0.count - capacity) }
        }
        return resolved
    }

    static func compile(_ plan: ProcessingPlan, columns: [String], maxConcurrency: Int,
                        references: ReferenceTables = .none) throws -> PlanStages {
        do { return try plan.stages(columns: columns, maxConcurrency: maxConcurrency, references: references) } catch {
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
