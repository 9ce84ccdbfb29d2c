import Contracts
import Foundation
import Reports
import Tabular

/// The `summary.json` artifact. Its bytes depend only on the job's data (no timestamps), so
/// a re-run produces an identical file.
struct JobSummary: Codable, Sendable {
    struct Job: Codable, Sendable { var id: String; var name: String; var tags: [String: String] }
    struct Rows: Codable, Sendable { var total: Int; var valid: Int; var invalid: Int }
    var job: Job
    var rows: Rows
    /// Per output column: counts, distinct, min/max/mean/stddev, percentiles, top values.
    var columns: [ColumnSummary]
    /// The job's KPI tables (`options.aggregates`).
    var aggregates: [AggregateTable]
}

/// `validation.json`: every per-record problem of the job, with counts per code.
struct ValidationReport: Codable, Sendable {
    struct Rows: Codable, Sendable { var total: Int; var valid: Int; var invalid: Int }
    var jobId: String
    var schema: String?
    var rows: Rows
    /// Valid share of the rows read, 0…1 (1 for an empty job).
    var successRate: Double
    var errorCounts: [String: Int]
    var errors: [RecordError]

    /// `validation.csv`: one line per problem.
    func csv() -> [UInt8] {
        let writer = CSVWriter()
        var out: [UInt8] = []
        writer.append(["row", "field", "code", "message", "value"], to: &out)
        for error in errors {
            writer.append([String(error.line), error.field ?? "", error.code, error.message, error.value ?? ""], to: &out)
        }
        return out
    }
}

/// `results.json`, the identifier batch's results document: totals, successes, failures,
/// success rate and processing time per stage. Unlike `summary.json` it holds times, so it
/// differs between runs of the same input.
struct ResultsDocument: Codable, Sendable {
    struct Totals: Codable, Sendable {
        /// Records read from the source.
        var total: Int
        /// Records in the output.
        var succeeded: Int
        /// Records reported invalid (validation, casts, duplicate keys).
        var failed: Int
        /// Records removed by the plan's filter rules.
        var filtered: Int
        /// Later duplicates removed by the plan's `dedupe`.
        var deduplicated: Int
        /// Records added by the plan's `append`.
        var appended: Int
    }
    struct Stage: Codable, Sendable {
        var stage: String
        var startedAt: Date?
        var finishedAt: Date?
        var seconds: Double?
    }
    var jobId: String
    var name: String
    var tags: [String: String]
    var status: String
    var dryRun: Bool
    var source: SourceInfo?
    var schema: String?
    var plan: String?
    /// The reference tables the plan's `lookup` steps joined, as `name@version`.
    var lookups: [String]?
    var totals: Totals
    var successRate: Double
    var stages: [Stage]
    var warnings: [String]
    var notes: [String]
    var artifacts: [String]
    /// The plan's call steps, when it has any.
    var calls: Calls?

    /// What the call steps did: items, successes, failures (each with its error), success
    /// rate and time per item.
    struct Calls: Codable, Sendable {
        struct Failure: Codable, Sendable {
            var line: Int
            var code: String
            var message: String
        }
        var items: Int
        var succeeded: Int
        var failed: Int
        var successRate: Double
        var retries: Int
        /// Items answered in an earlier delivery of their chunk, not called again.
        var reused: Int
        /// Calling time per item (attempts included, waits between them excluded).
        var millisPerItem: Double
        var maxMillis: Int
        /// Every item that failed for good, in line order (the first 10,000).
        var failures: [Failure]
        var failuresOmitted: Int?
        /// Dry run: the first requests it would have sent.
        var wouldCall: [CallPreview]?

        init(_ tally: CallTally, errors: [RecordError]) {
            items = tally.items
            succeeded = tally.succeeded
            failed = tally.failed
            let decided = tally.succeeded + tally.failed
            successRate = decided == 0 ? 0 : (Double(tally.succeeded) / Double(decided) * 10_000).rounded() / 10_000
            retries = tally.retries
            reused = tally.reused
            millisPerItem = decided == 0 ? 0 : (Double(tally.totalMillis) / Double(decided) * 10).rounded() / 10
            maxMillis = tally.maxMillis
            let all = errors.filter { $0.code.hasPrefix("call.") }.sorted { $0.line < $1.line }
            failures = all.prefix(10_000).map { Failure(line: $0.line, code: $0.code, message: $0.message) }
            failuresOmitted = all.count > 10_000 ? all.count - 10_000 : nil
            wouldCall = tally.wouldCall
        }
    }

    static func stage(_ name: String, from start: Date?, to end: Date?) -> Stage {
        let seconds = start.flatMap { s in end.map { ($0.timeIntervalSince(s) * 1000).rounded() / 1000 } }
        return Stage(stage: name, startedAt: start, finishedAt: end, seconds: seconds)
    }
}
