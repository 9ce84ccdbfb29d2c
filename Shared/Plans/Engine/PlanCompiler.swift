import Contracts
import Tabular
/// Checks a plan against a chunk's columns and compiles it, before any row is processed.
///
/// Every column name in every step is resolved against the columns as they are at that
/// step (renames, selections, drops and derived columns are tracked), every expression is
/// parsed and bound, and every regex and date format compiled. The first problem is thrown
/// as a `PlanError` with its code, 1-based step number and op — for expressions also the
/// character position:
///
///     step 3 (derive 'pass'): unknown column 'grade' at position 1 in `grade >= 50`;
///     columns at this step are: name, score
///
/// - Parameters:
///   - plan: the plan to compile.
///   - columns: the chunk's column names, in record value order; they must be distinct.
/// - Returns: a `CompiledPlan` that runs chunks without further name lookups.
///   - references: the stored tables the plan's `lookup` steps join, by the name they give.
public func compile(plan: ProcessingPlan, columns: [String],
                   references: ReferenceTables = .none) throws(PlanError) -> CompiledPlan {
    var compiler = PlanCompiler(scope: try ColumnScope(columns: columns), references: references)
    for (index, step) in plan.steps.enumerated() {
        do {
            try compiler.add(step, number: index + 1)
        } catch {
            throw error.at(step: index + 1, op: step.op, subject: step.subject)
        }
    }
    return CompiledPlan(plan: plan, inputColumns: columns, compiler: compiler)
}

/// The state of compilation: the current column scope and what has been compiled so far.
struct PlanCompiler {
    /// Records of one `append` step, as working rows, and where in the compiled steps
    /// they start.
    struct AppendBlock: Sendable {
        let start: Int
        let rows: [[CellValue]]
    }

    var scope: ColumnScope
    var steps: [any RowOperation] = []
    private(set) var appends: [AppendBlock] = []
    private(set) var notes: [String] = []
    /// The compiled-step index of the dedupe step and its column names.
    private(set) var dedupe: (index: Int, step: Int, columns: [String])?
    /// The slots some step reads or writes (column-shaping steps only rename slots).
    var touched = Set<Int>()
    /// The slots some step writes.
    var written = Set<Int>()
    let references: ReferenceTables

    init(scope: ColumnScope, references: ReferenceTables = .none) {
        self.scope = scope
        self.references = references
    }

    /// Compiles one step; errors are attributed to the step by the caller.
    mutating func add(_ step: PlanStep, number: Int) throws(PlanError) {
        let origin = StepOrigin(label: "step \(number) (\(step.op)"
            + (step.subject.map { " '\($0)'" } ?? "") + ")", column: step.subject)
        switch step {
        case .rename(let mapping): try scope.rename(mapping)
        case .select(let list): try scope.select(list)
        case .drop(let list): try scope.drop(list)
        case .reorder(let list): try scope.reorder(list)
        case .trim(let list):
            let slots = try list.map { (list) throws(PlanError) in try scope.requireAll(list, op: "trim") } ?? scope.slots
            touched.formUnion(slots)
            written.formUnion(slots)
            steps.append(TrimOperation(slots: slots))
        case .changeCase(let list, let style):
            let slots = try scope.requireAll(list, op: "case")
            touched.formUnion(slots)
            written.formUnion(slots)
            steps.append(CaseOperation(slots: slots, style: style))
        case .cast(let cast):
            let slot = try scope.require(cast.column)
            touched.insert(slot)
            written.insert(slot)
            steps.append(CastOperation(slot: slot, converter: try CastConverter(cast), policy: cast.onError,
                                       origin: origin))
        case .fill(let column, let value):
            let slot = try scope.require(column)
            guard !value.isNull else {
                throw PlanError(code: .invalidStep, detail: "fill needs a non-null \"value\"")
            }
            touched.insert(slot)
            written.insert(slot)
            steps.append(FillOperation(slot: slot, value: value))
        case .replace(let replace):
            try addReplace(replace)
        case .derive(let derive):
            guard !derive.column.isEmpty else {
                throw PlanError(code: .invalidStep, detail: "derive needs a non-empty \"column\" name")
            }
            let scope = self.scope
            let bound = try PlanExpression(derive.expression).bind(columns: scope.names) { scope.slot(of: $0) }
            let slot = self.scope.slotForWriting(derive.column)
            touched.formUnion(bound.slots)
            touched.insert(slot)
            written.insert(slot)
            steps.append(DeriveOperation(slot: slot, expression: bound, policy: derive.onError, origin: origin))
        case .filter(let filter):
            let condition = try CompiledCondition.compile(filter.condition, scope: scope)
            touched.formUnion(condition.slots)
            steps.append(FilterOperation(mode: filter.mode, condition: condition, origin: origin))
        case .append(let records):
            try addAppend(records)
        case .dedupe(let list):
            if let previous = dedupe {
                throw PlanError(code: .invalidStep, detail: "a plan can have only one dedupe step, and step "
                    + "\(previous.step) is one already; list all key columns in a single dedupe")
            }
            let slots = try scope.requireAll(list, op: "dedupe")
            touched.formUnion(slots)
            dedupe = (steps.count, number, list)
            steps.append(DedupeOperation(slots: slots))
        case .note(let text):
            notes.append(text)
        case .lookup(let lookup):
            try addLookup(lookup, origin: origin)
        case .call:
            // Calls are asynchronous I/O: `stages(columns:)` cuts the plan around them.
            throw PlanError(code: .invalidStep, detail: "a call step runs in the transform service; compile the plan with stages(columns:)")
        }
    }

    private mutating func addReplace(_ replace: ReplaceStep) throws(PlanError) {
        let slot = try scope.require(replace.column)
        touched.insert(slot)
        written.insert(slot)
        guard replace.map != nil || replace.pattern != nil else {
            throw PlanError(code: .invalidStep, detail: "replace needs a \"map\", a \"pattern\", or both")
        }
        guard replace.pattern != nil || replace.with == nil else {
            throw PlanError(code: .invalidStep, detail: "\"with\" is used only together with \"pattern\"")
        }
        if let map = replace.map, map.isEmpty {
            throw PlanError(code: .invalidStep, detail: "\"map\" is empty; list at least one \"from\": to pair")
        }
        let pattern = try replace.pattern.map { (pattern) throws(PlanError) in try SharedRegex(pattern) }
        steps.append(ReplaceOperation(slot: slot, map: replace.map, pattern: pattern,
                                      template: TextTransforms.Template(replace.with ?? "")))
    }

    private mutating func addAppend(_ records: [[String: CellValue]]) throws(PlanError) {
        guard !records.isEmpty else {
            throw PlanError(code: .invalidStep, detail: "append needs at least one record in \"records\"")
        }
        var rows: [[CellValue]] = []
        for (index, record) in records.enumerated() {
            var row = [CellValue](repeating: .null, count: scope.slotCount)
            for name in record.keys.sorted() {
                let slot = try scope.require(name, context: " in record \(index + 1)")
                row[slot] = record[name] ?? .null
            }
            rows.append(row)
        }
        appends.append(AppendBlock(start: steps.count, rows: rows))
    }
}

extension ProcessingPlan {
    /// Compiles the plan against a chunk's columns; the same as `compile(plan:columns:references:)`.
    public func compiled(columns: [String], references: ReferenceTables = .none) throws(PlanError) -> CompiledPlan {
        try compile(plan: self, columns: columns, references: references)
    }
}
