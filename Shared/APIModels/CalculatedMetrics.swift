import Foundation

/// One computed value of a calculated metric (`GET /api/v1/metrics/calculated`).
public struct CalculatedValue: Codable, Sendable, Hashable {
    /// The metric and the version of its definition that computed it.
    public var name: String
    public var version: Int
    /// The period, `[periodStart, periodEnd)`.
    public var periodStart: Date
    public var periodEnd: Date
    /// The group: each `groupBy` column (or `tag:NAME`) and its value (null: empty).
    public var dimensions: [String: String?]
    public var value: Double
    /// For `rank`: the value the group was ranked by.
    public var score: Double?
    public var unit: String?
    public var computedAt: Date
    /// After this the cleanup action removes it.
    public var expiresAt: Date

    /// A value.
    public init(name: String, version: Int, periodStart: Date, periodEnd: Date, dimensions: [String: String?], value: Double,
                score: Double?, unit: String?, computedAt: Date, expiresAt: Date) {
        self.name = name
        self.version = version
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.dimensions = dimensions
        self.value = value
        self.score = score
        self.unit = unit
        self.computedAt = computedAt
        self.expiresAt = expiresAt
    }
}

/// How one computation of one metric for one period went.
public struct MetricRun: Codable, Sendable, Hashable {
    public var metric: String
    public var version: Int
    public var periodStart: Date
    public var periodEnd: Date
    /// `computed`, `incomplete` (some selected jobs have no partials: `missing`), `failed` or
    /// `timed-out`.
    public var outcome: String
    public var error: String?
    /// Jobs whose partials were merged, selected jobs without partials, groups written.
    public var jobs: Int
    public var missing: Int
    public var groups: Int
    public var requestedBy: String?
    public var startedAt: Date
    public var finishedAt: Date

    /// A run.
    public init(metric: String, version: Int, periodStart: Date, periodEnd: Date, outcome: String, error: String?, jobs: Int,
                missing: Int, groups: Int, requestedBy: String?, startedAt: Date, finishedAt: Date) {
        self.metric = metric
        self.version = version
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.outcome = outcome
        self.error = error
        self.jobs = jobs
        self.missing = missing
        self.groups = groups
        self.requestedBy = requestedBy
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// `POST /metrics/compute`: which metrics, for which periods.
public struct MetricComputeRequest: Codable, Sendable {
    /// The metrics (absent or empty: every one).
    public var names: [String]?
    /// The period holding this date (`YYYY-MM-DD`, in each metric's zone).
    public var date: String?
    /// Or every period from the one holding `from` to the one holding `to` (dates, inclusive).
    public var from: String?
    public var to: String?

    /// A request.
    public init(names: [String]?, date: String? = nil, from: String? = nil, to: String? = nil) {
        self.names = names
        self.date = date
        self.from = from
        self.to = to
    }
}
