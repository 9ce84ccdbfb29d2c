/// How a job is processed, chosen by the producer in `job.submit` and carried in every
/// message of the job, so each stage decides on its own without asking another service.
/// Every field is optional; `nil` means the documented default.
public struct JobOptions: Codable, Sendable, Hashable {
    /// Which stages run (default `all`).
    public var stages: Stages?
    /// Run every stage and produce the reports, but publish no dataset and notify nobody.
    public var dryRun: Bool?
    /// The artifacts to produce (default: `csv`, `summary`, `validation`, `results`).
    public var outputs: [Output]?
    /// What to do about invalid rows (default: drop them and go on).
    public var invalidRows: InvalidRowPolicy?
    /// KPIs grouped by columns, e.g. the average grade per course.
    public var aggregates: [AggregateSpec]?
    /// Header and cell clean-up at ingest.
    public var standardize: Standardize?
    /// The XLSX sheet to read (default: the first).
    public var sheet: String?
    /// `auto` (default), `utf-8` or `windows-1252` (also accepted: `latin-1`).
    public var encoding: String?
    /// The column name for `text` sources (one item per line; default `value`).
    public var textColumn: String?
    /// A stable name of the dataset (e.g. `science/physics-101`); with it, an input whose
    /// content did not change since the dataset's last job is skipped (`job.skipped`).
    public var datasetKey: String?
    /// Process even when the content is unchanged.
    public var force: Bool?
    /// The day the job runs for (`YYYY-MM-DD`), what a plan's `run_date()` reads: a
    /// schedule sets its fire date (a backfill its day); absent, the day it was submitted.
    public var runDate: String?

    /// Creates options.
    public init(stages: Stages? = nil, dryRun: Bool? = nil, outputs: [Output]? = nil,
                invalidRows: InvalidRowPolicy? = nil, aggregates: [AggregateSpec]? = nil,
                standardize: Standardize? = nil, sheet: String? = nil, encoding: String? = nil,
                textColumn: String? = nil, datasetKey: String? = nil, force: Bool? = nil, runDate: String? = nil) {
        self.runDate = runDate
        self.stages = stages
        self.dryRun = dryRun
        self.outputs = outputs
        self.invalidRows = invalidRows
        self.aggregates = aggregates
        self.standardize = standardize
        self.sheet = sheet
        self.encoding = encoding
        self.textColumn = textColumn
        self.datasetKey = datasetKey
        self.force = force
    }

    /// Stage selection.
    public enum Stages: String, Codable, Sendable, Hashable, CaseIterable {
        /// Ingest, validate, transform, publish, notify.
        case all
        /// Fetch and store the input only (download-only); nothing is validated or published.
        case ingestOnly = "ingest-only"
        /// Validate, transform and publish an input stored by an earlier job (`source.kind`
        /// `job`), without reading the original source again.
        case analysisOnly = "analysis-only"
        /// Publish and notify an earlier job's results again (`source.kind` `job`).
        case publishOnly = "publish-only"
    }

    /// An artifact kind.
    public enum Output: String, Codable, Sendable, Hashable, CaseIterable {
        /// The processed dataset as CSV (`output.csv`, formula-injection safe).
        case csv
        /// The processed dataset as JSON Lines (`output.jsonl`).
        case jsonl
        /// The processed dataset as XLSX with summary and validation sheets (`output.xlsx`).
        case xlsx
        /// Column statistics and aggregates (`summary.json`, `summary.csv`).
        case summary
        /// Every per-record problem (`validation.json`, `validation.csv`).
        case validation
        /// A PDF report with metadata, KPIs, tables and charts (`report.pdf`).
        case report
        /// Totals, success rate and time per stage (`results.json`).
        case results
    }

    /// The outputs with the default applied.
    public var effectiveOutputs: Set<Output> { Set(outputs ?? [.csv, .summary, .validation, .results]) }
    /// The stages with the default applied.
    public var effectiveStages: Stages { stages ?? .all }
}

/// What happens to a job with invalid rows.
public struct InvalidRowPolicy: Codable, Sendable, Hashable {
    /// `drop` (default): invalid rows are reported and left out. `fail`: the job fails when
    /// the invalid share exceeds `maxInvalidShare`.
    public var action: Action
    /// The largest tolerated share of invalid rows, 0…1 (default 0: any invalid row fails).
    public var maxInvalidShare: Double?

    /// Creates a policy.
    public init(action: Action, maxInvalidShare: Double? = nil) {
        self.action = action
        self.maxInvalidShare = maxInvalidShare
    }

    /// The two policies.
    public enum Action: String, Codable, Sendable, Hashable { case drop, fail }
}

/// Header and cell standardization done by ingest.
public struct Standardize: Codable, Sendable, Hashable {
    /// Turn header names into snake_case (`Final Grade (%)` → `final_grade`).
    public var snakeCase: Bool?
    /// Cell texts that become null (default `[""]`; e.g. `["", "NA", "N/A"]`).
    public var missingValues: [String]?
    /// Trim cell whitespace (default true).
    public var trimCells: Bool?

    /// Creates standardization options.
    public init(snakeCase: Bool? = nil, missingValues: [String]? = nil, trimCells: Bool? = nil) {
        self.snakeCase = snakeCase
        self.missingValues = missingValues
        self.trimCells = trimCells
    }
}
