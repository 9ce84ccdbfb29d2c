import Contracts
import Tabular
/// A plan checked and compiled against a chunk's columns, ready to run any number of
/// chunks, concurrently if need be (it is immutable and `Sendable`).
///
/// Create one with `compile(plan:columns:)`. Rows are processed one at a time through all
/// steps, in a working row with one slot per input column and per derived column, and the
/// output row is gathered from the visible slots at the end; no step looks a name up.
public struct CompiledPlan: Sendable {
    /// The plan this was compiled from.
    public let plan: ProcessingPlan
    /// The columns input records are expected to have, in value order.
    public let inputColumns: [String]
    /// The columns of output records, in value order.
    public let outputColumns: [String]
    /// The texts of the plan's `note` steps, in order.
    public let notes: [String]
    /// The dedupe step's columns (named as at that step), or `nil` without a dedupe step.
    public let dedupeColumns: [String]?
    /// Output columns that are input columns no step writes, as (output index, input index):
    /// their values leave as they came, so a stage may carry them from its input chunk to its
    /// output chunk without encoding them again.
    public let carriedColumns: [(output: Int, input: Int)]
    /// Input columns no step reads or writes: a stage need not even decode them (`run`
    /// leaves whatever placeholder they hold in place).
    public let untouchedInputs: Set<Int>

    private let steps: [any RowOperation]
    private let slotCount: Int
    private let outputSlots: [Int]
    /// Whether the output row is the working row as is (no gather needed).
    private let outputIsWorkingRow: Bool
    private let appends: [PlanCompiler.AppendBlock]
    private let dedupeIndex: Int?

    init(plan: ProcessingPlan, inputColumns: [String], compiler: PlanCompiler) {
        self.plan = plan
        self.inputColumns = inputColumns
        outputColumns = compiler.scope.names
        notes = compiler.notes
        dedupeColumns = compiler.dedupe?.columns
        steps = compiler.steps
        slotCount = compiler.scope.slotCount
        outputSlots = compiler.scope.slots
        outputIsWorkingRow = compiler.scope.slots == Array(0..<compiler.scope.slotCount)
        appends = compiler.appends
        dedupeIndex = compiler.dedupe?.index
        untouchedInputs = Set(inputColumns.indices).subtracting(compiler.touched)
        let unwritten = Set(inputColumns.indices).subtracting(compiler.written)
        carriedColumns = compiler.scope.slots.enumerated().compactMap { output, slot in
            unwritten.contains(slot) ? (output, slot) : nil
        }
    }

    /// Transforms one chunk.
    ///
    /// Records keep their `line` and their unique-key fingerprints (`keys`, computed by
    /// validation from the source values). When the plan has a dedupe step, each output
    /// record's `dedupe` is set to its fingerprint — the same string as in
    /// `PlanResult.dedupeKeys` — otherwise it is kept as it came. A record with fewer values
    /// than `inputColumns` is padded with nulls; values beyond them are ignored. Never
    /// throws: per-row problems are in `PlanResult.errors`.
    public func run(_ records: [Record]) -> PlanResult {
        var result = PlanResult(dedupeKeys: dedupeIndex == nil ? nil : [])
        result.records.reserveCapacity(records.count)
        result.dedupeKeys?.reserveCapacity(records.count)
        result.sourceRows.reserveCapacity(records.count)
        let width = inputColumns.count
        for (index, record) in records.enumerated() {
            var row: [CellValue] = []
            row.reserveCapacity(slotCount)
            if record.values.count <= width {
                row.append(contentsOf: record.values)
            } else {
                row.append(contentsOf: record.values[0..<width])
            }
            if row.count < slotCount { row.append(contentsOf: repeatElement(.null, count: slotCount - row.count)) }
            if process(&row, source: record, from: 0, into: &result, key: { $0 }) { result.sourceRows.append(index) }
        }
        return result
    }

    /// The records of the plan's `append` steps, each run through the steps after its
    /// `append`, to be added once per job after all chunks.
    ///
    /// Appended records have no source line, so they get negative sentinel lines: the
    /// k-th appended record of the plan (counting across all `append` steps, 1-based) has
    /// `line == -k`, which no source record has and which identifies it in `errors`.
    /// When the plan has a dedupe step, a record whose `append` comes after it gets a
    /// unique key (`DedupeKey.unique`) so the job-wide stage never drops it; records
    /// appended before the dedupe step are keyed normally and deduplicated against the data.
    public func appendedRecords() -> PlanResult {
        var result = PlanResult(dedupeKeys: dedupeIndex == nil ? nil : [])
        var number = 0
        for block in appends {
            let bypassesDedupe = dedupeIndex.map { $0 < block.start } ?? false
            for values in block.rows {
                number += 1
                var row = values
                if row.count < slotCount { row.append(contentsOf: repeatElement(.null, count: slotCount - row.count)) }
                let sentinel = number
                process(&row, source: Record(line: -number, values: []), from: block.start, into: &result) { key in
                    bypassesDedupe ? DedupeKey.unique(appended: sentinel) : key
                }
            }
        }
        return result
    }

    /// Runs one working row of `source` and files the outcome into `result`; whether it was kept.
    @discardableResult
    private func process(_ row: inout [CellValue], source: Record, from start: Int, into result: inout PlanResult,
                         key adjust: (String) -> String) -> Bool {
        var key: String?
        switch runOperations(steps, from: start, row: &row, line: source.line, errors: &result.errors, key: &key) {
        case .kept:
            let values = outputIsWorkingRow ? row : outputSlots.map { row[$0] }
            var dedupe = source.dedupe
            if result.dedupeKeys != nil {
                let fingerprint = adjust(key ?? "")
                result.dedupeKeys?.append(fingerprint)
                dedupe = fingerprint
            }
            result.records.append(Record(line: source.line, values: values, keys: source.keys, dedupe: dedupe))
            return true
        case .filtered:
            result.filtered += 1
        case .dropped:
            result.dropped += 1
        }
        return false
    }
}
