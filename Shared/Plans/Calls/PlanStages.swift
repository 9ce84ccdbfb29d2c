import Contracts
import Tabular

/// A plan cut at its `call` steps: runs of row steps compiled as plans, and the calls
/// between them, each compiled against the columns at its place. A plan without calls is
/// one stage. The transform service runs the row stages as they are and the calls itself.
public struct PlanStages: Sendable {
    /// One stage.
    public enum Stage: Sendable {
        /// Row steps, compiled.
        case rows(CompiledPlan)
        /// A call step, compiled.
        case call(CompiledCall)
    }

    /// The stages, in order.
    public let stages: [Stage]
    /// The columns of the records the last stage produces.
    public let outputColumns: [String]

    /// The plan when it has no call step (the fast path keeps its columnar carrying).
    public var single: CompiledPlan? {
        if stages.count == 1, case .rows(let plan) = stages[0] { return plan }
        return nil
    }

    /// The call stages.
    public var calls: [CompiledCall] {
        stages.compactMap { if case .call(let call) = $0 { call } else { nil } }
    }

    /// The texts of the plan's `note` steps.
    public var notes: [String] {
        stages.flatMap { if case .rows(let plan) = $0 { plan.notes } else { [String]() } }
    }
}

extension ProcessingPlan {
    /// Compiles the plan against a chunk's columns, cut at its call steps; errors name the
    /// plan's own step numbers. `maxConcurrency` caps every call step's concurrency;
    /// `references` holds the tables its `lookup` steps join.
    public func stages(columns: [String], maxConcurrency: Int = 64,
                       references: ReferenceTables = .none) throws(PlanError) -> PlanStages {
        guard steps.contains(where: { if case .call = $0 { true } else { false } }) else {
            let plan = try compiled(columns: columns, references: references)
            return PlanStages(stages: [.rows(plan)], outputColumns: plan.outputColumns)
        }
        var stages: [PlanStages.Stage] = []
        var current = columns
        var pending: [PlanStep] = []
        var offset = 0
        func flush() throws(PlanError) {
            guard !pending.isEmpty else { return }
            let part = ProcessingPlan(name: name, version: version, description: description, steps: pending)
            do {
                let compiled = try part.compiled(columns: current, references: references)
                stages.append(.rows(compiled))
                current = compiled.outputColumns
            } catch {
                var shifted = error
                shifted.step = error.step.map { $0 + offset }
                throw shifted
            }
            pending = []
        }
        for (index, step) in steps.enumerated() {
            switch step {
            case .call(let call):
                try flush()
                do {
                    let compiled = try CompiledCall(call, number: index + 1, columns: current, maxConcurrency: maxConcurrency)
                    stages.append(.call(compiled))
                    current = compiled.outputColumns
                } catch {
                    throw error.at(step: index + 1, op: "call", subject: nil)
                }
                offset = index + 1
            case .append:
                throw PlanError(code: .invalidStep, detail: "append cannot be used in a plan with a call step "
                    + "(appended records would bypass the calls); add the records to the input instead",
                                step: index + 1, op: "append")
            default:
                pending.append(step)
            }
        }
        try flush()
        return PlanStages(stages: stages, outputColumns: current)
    }
}
