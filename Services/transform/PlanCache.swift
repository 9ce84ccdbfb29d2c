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
    }

    private let entries = LockedValue<[(key: String, resolved: Resolved)]>([])
    private let capacity = 64

    func resolve(_ job: JobContext, columns: [String], runtime: RuntimeContext,
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
        let resolved = Resolved(stages: try Self.compile(plan, columns: columns, maxConcurrency: maxConcurrency),
                                reference: reference)
        entries.update {
            $0.append((key, resolved))
            if $0.count > capacity { $0.removeFirst($0.count - capacity) }
        }
        return resolved
    }

    static func compile(_ plan: ProcessingPlan, columns: [String], maxConcurrency: Int) throws -> PlanStages {
        do { return try plan.stages(columns: columns, maxConcurrency: maxConcurrency) } catch {
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
