import Contracts
import Tabular
/// The outcome of the validate stage as the reports show it: row totals, the most common
/// error codes, and the first errors in full.
///
/// Build it from totals you already have, or feed issues one at a time with `record(_:)`,
/// which counts every code but keeps only the first `errorLimit` issues, so memory stays
/// bounded however many rows fail.
public struct ValidationSummary: Codable, Sendable, Equatable {
    /// One error code and how many issues carried it.
    public struct CodeCount: Codable, Sendable, Equatable {
        /// The stable error code, e.g. `constraint-error`.
        public var code: String
        /// Issues with this code.
        public var count: Int

        /// A code count from its parts.
        public init(code: String, count: Int) {
            self.code = code
            self.count = count
        }
    }

    /// Rows the validate stage saw.
    public var rowsTotal: Int
    /// Rows without any issue.
    public var rowsValid: Int
    /// Rows with at least one issue.
    public var rowsInvalid: Int
    /// Issue counts per code, most frequent first (ties by code).
    public var errorCodes: [CodeCount]
    /// The first issues, in the order recorded.
    public var errors: [ValidationIssue]
    /// How many issues `record(_:)` keeps in `errors`.
    public var errorLimit: Int

    /// A summary from totals, code counts and the first issues.
    public init(
        rowsTotal: Int, rowsValid: Int, rowsInvalid: Int,
        errorCodes: [CodeCount] = [], errors: [ValidationIssue] = [], errorLimit: Int = 100
    ) {
        self.rowsTotal = rowsTotal
        self.rowsValid = rowsValid
        self.rowsInvalid = rowsInvalid
        self.errorCodes = errorCodes
        self.errors = errors
        self.errorLimit = max(errorLimit, 0)
        sortCodes()
    }

    /// The share of rows that passed, in [0, 1]; 1 for an empty input (nothing failed).
    public var successRate: Double {
        rowsTotal == 0 ? 1 : Double(rowsValid) / Double(rowsTotal)
    }

    /// All issues counted, over all codes.
    public var issueCount: Int { errorCodes.reduce(0) { $0 + $1.count } }

    /// Counts one issue under its code and keeps it if fewer than `errorLimit` are kept.
    /// Row totals are not touched: a row can have several issues.
    public mutating func record(_ issue: ValidationIssue) {
        var index: Int
        if let found = errorCodes.firstIndex(where: { $0.code == issue.code }) {
            index = found
            errorCodes[index].count += 1
        } else {
            index = errorCodes.count
            errorCodes.append(CodeCount(code: issue.code, count: 1))
        }
        // Only this entry moved: bubble it up instead of sorting the whole list.
        while index > 0, Self.precedes(errorCodes[index], errorCodes[index - 1]) {
            errorCodes.swapAt(index, index - 1)
            index -= 1
        }
        if errors.count < errorLimit { errors.append(issue) }
    }

    /// Combines another chunk's summary: totals and code counts add up, kept issues are
    /// appended up to `errorLimit` (pass chunks in row order to keep the first ones).
    public mutating func merge(_ other: ValidationSummary) {
        rowsTotal += other.rowsTotal
        rowsValid += other.rowsValid
        rowsInvalid += other.rowsInvalid
        for entry in other.errorCodes {
            if let index = errorCodes.firstIndex(where: { $0.code == entry.code }) {
                errorCodes[index].count += entry.count
            } else {
                errorCodes.append(entry)
            }
        }
        errors.append(contentsOf: other.errors.prefix(max(errorLimit - errors.count, 0)))
        sortCodes()
    }

    /// Most frequent first, ties by code, so output never depends on arrival order.
    private mutating func sortCodes() {
        errorCodes.sort(by: Self.precedes)
    }

    /// The order of `errorCodes`.
    private static func precedes(_ left: CodeCount, _ right: CodeCount) -> Bool {
        left.count != right.count ? left.count > right.count : left.code < right.code
    }
}

/// One problem with one record, as `RecordError` carries it through the pipeline.
public struct ValidationIssue: Codable, Sendable, Equatable {
    /// The 1-based source line of the record (shown as "Row" in reports).
    public var line: Int
    /// The column, when the problem is about one cell.
    public var field: String?
    /// A stable code, e.g. `missing-cell` or `constraint-error`.
    public var code: String
    /// What is wrong, for a person.
    public var message: String
    /// The offending cell text, if any.
    public var value: String?

    /// An issue from its parts.
    public init(line: Int, field: String? = nil, code: String, message: String, value: String? = nil) {
        self.line = line
        self.field = field
        self.code = code
        self.message = message
        self.value = value
    }
}
