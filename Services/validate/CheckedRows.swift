import Chunks
import Columnar
import Contracts
import Tabular
import Validation

/// What checking one chunk's rows produced: the valid records (typed), the key rows, the
/// record errors, and the text columns carried into the validated chunk as they came.
struct CheckedRows {
    var valid: [Record] = []
    var keyRows: [Record] = []
    var errors: [RecordError] = []
    var invalid = 0
    /// Validated-chunk columns made already: text columns gathered from the ingested chunk
    /// (``RowChecker/keepsText``) and date columns typed as `date32` (``RowChecker/isDate``).
    var carried: [Int: ArrowArray] = [:]
    /// The date columns being built, by header column; nil where there is none (or a value
    /// was not a plain ISO date: that column is encoded from its cells instead).
    private var dates: [DateColumnBuilder?] = []

    /// Rows checked between two yields: a big chunk is seconds of work in a debug build, and
    /// the service's other tasks (the job-control board's refresh, the control queue, the
    /// outbox relay) share the same few threads; without a yield a cancel could wait for them.
    static let rowsPerYield = 2_048

    /// Checks a chunk of texts straight from its columns; text columns whose kept cells all
    /// come out as they went in are carried, not encoded again.
    mutating func check(_ chunk: TextChunk, with checker: RowChecker, missing: [String]) async {
        let headerWidth = chunk.header.columns.count
        var columns = chunk.arrays.indices.map { chunk.texts($0) }
        // Only when every row has the header's width: a ragged row's cells are not all in the header's columns.
        var carry = chunk.widths == nil ? checker.keepsText.prefix(headerWidth).map { $0 } : []
        var kept: [Int] = []
        kept.reserveCapacity(chunk.count)
        valid.reserveCapacity(chunk.count)
        startDates(checker, columns: headerWidth, capacity: chunk.count)
        // One buffer for every row's texts, refilled in place instead of allocated per row.
        var cells: [String?] = []
        for row in 0..<chunk.count {
            if row % Self.rowsPerYield == Self.rowsPerYield - 1 { await Task.yield() }
            cells.removeAll(keepingCapacity: true)
            for column in 0..<chunk.width(row) {
                var text: String?
                swap(&text, &columns[column][row])  // moved, not copied: the column is not read again
                cells.append(text ?? (column < missing.count ? missing[column] : ""))
            }
            if add(checker.check(line: chunk.lines[row], cells: cells), cells: cells) {
                kept.append(row)
                // A text read as missing, or a null read as text (`missingValues: []` makes an empty
                // cell ""): the column is not as it came.
                for column in carry.indices where carry[column]
                    && valid[valid.count - 1].values[column].isNull != chunk.arrays[column].isNull(row) {
                    carry[column] = false
                }
            }
        }
        for (column, carried) in carry.enumerated() where carried {
            if let array = chunk.arrays[column].take(kept) { self.carried[column] = array }
        }
        finishDates()
    }

    /// Checks records of any cells (a chunk not made of texts).
    mutating func check(_ records: [Record], with checker: RowChecker, missing: [String]) async {
        valid.reserveCapacity(records.count)
        startDates(checker, columns: missing.count, capacity: records.count)
        var cells: [String?] = []
        for (row, record) in records.enumerated() {
            if row % Self.rowsPerYield == Self.rowsPerYield - 1 { await Task.yield() }
            cells.removeAll(keepingCapacity: true)
            for (index, value) in record.values.enumerated() {
                cells.append(value.isNull ? (index < missing.count ? missing[index] : "") : value.csvText)
            }
            add(checker.check(line: record.line, cells: cells), cells: cells)
        }
        finishDates()
    }

    private mutating func startDates(_ checker: RowChecker, columns: Int, capacity: Int) {
        dates = checker.isDate.prefix(columns).map { $0 ? DateColumnBuilder(capacity: capacity) : nil }
    }

    private mutating func finishDates() {
        for (column, builder) in dates.enumerated() {
            if let builder { carried[column] = builder.finish() }
        }
        dates = []
    }

    /// Files one row's outcome; whether the row is valid.
    @discardableResult
    private mutating func add(_ outcome: RowOutcome, cells: [String?]) -> Bool {
        if !outcome.fingerprints.isEmpty {
            keyRows.append(Record(line: outcome.line, values: [], keys: outcome.fingerprints))
        }
        guard outcome.isValid else {
            invalid += 1
            errors += outcome.errors
            return false
        }
        // NaN and ±Infinity are valid Table Schema numbers but have no JSON form: keep their text.
        // (Checked first: rebuilding every row's values to find none cost a copy per row.)
        let nonFinite = outcome.values.contains { if case .number(let number) = $0 { !number.isFinite } else { false } }
        let values = !nonFinite ? outcome.values : outcome.values.enumerated().map { index, value -> CellValue in
            if case .number(let number) = value, !number.isFinite { return .string(cells[index] ?? "") }
            return value
        }
        for column in dates.indices where dates[column] != nil {
            if !dates[column]!.append(column < values.count ? values[column] : .null) { dates[column] = nil }
        }
        valid.append(Record(line: outcome.line, values: values))
        return true
    }
}
