import Contracts
import Tabular

/// The `summary.json` artifact. Its bytes depend only on the job's data (no timestamps), so
/// a re-run produces an identical file.
struct JobSummary: Codable, Sendable {
    struct Job: Codable, Sendable { var id: String; var name: String; var tags: [String: String] }
    struct Rows: Codable, Sendable { var total: Int; var valid: Int; var invalid: Int }
    struct Numeric: Codable, Sendable { var count: Int; var min: Double; var max: Double; var mean: Double }
    struct Column: Codable, Sendable { var name: String; var count: Int; var nulls: Int; var numeric: Numeric? }

    var job: Job
    var rows: Rows
    var columns: [Column]
    var errors: [RecordError]
}

/// Running statistics of one output column, merged record by record across chunks.
struct ColumnStats {
    let name: String
    var count = 0
    var nulls = 0
    var numericCount = 0
    var min = Double.infinity
    var max = -Double.infinity
    var sum = 0.0

    init(name: String) { self.name = name }

    mutating func add(_ value: CellValue) {
        let number: Double?
        switch value {
        case .null: nulls += 1; return
        case .integer(let i): number = Double(i)
        case .number(let d): number = d
        default: number = nil
        }
        count += 1
        guard let number else { return }
        numericCount += 1
        min = Swift.min(min, number)
        max = Swift.max(max, number)
        sum += number
    }

    var summary: JobSummary.Column {
        let numeric = numericCount == 0 ? nil
            : JobSummary.Numeric(count: numericCount, min: min, max: max, mean: sum / Double(numericCount))
        return JobSummary.Column(name: name, count: count, nulls: nulls, numeric: numeric)
    }
}
