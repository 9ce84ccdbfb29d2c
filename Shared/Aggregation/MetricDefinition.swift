/// A calculated metric: what to aggregate, from what, grouped how, over which periods, kept
/// how long (docs/metrics.md). Stored and versioned by the metrics service like schemas and
/// plans; publish computes its partials for every job the source selects.
public struct MetricDefinition: Codable, Sendable, Hashable {
    /// Where the rows come from.
    public struct Source: Codable, Sendable, Hashable {
        /// The kinds of source.
        public enum Kind: String, Codable, Sendable, CaseIterable {
            /// The published datasets (each job's output rows) that `project`, `tags` and
            /// `datasetKey` select.
            case datasets
            /// Sluice's own jobs, one row each (columns `state`, `name`, `rowsValid`,
            /// `rowsInvalid`, `durationSeconds`), by the time they ended.
            case jobs
            /// Sluice's own incidents, one row each (columns `service`, `errorType`, `title`),
            /// by the time they were opened.
            case incidents
        }

        /// The kind of source.
        public var kind: Kind
        /// Only this project's jobs (absent: any).
        public var project: String?
        /// Only jobs carrying all these tags.
        public var tags: [String: String]?
        /// Only this dataset's jobs.
        public var datasetKey: String?

        /// A source.
        public init(kind: Kind, project: String? = nil, tags: [String: String]? = nil, datasetKey: String? = nil) {
            self.kind = kind
            self.project = project
            self.tags = tags
            self.datasetKey = datasetKey
        }
    }

    /// The aggregation functions.
    public enum Function: String, Codable, Sendable, CaseIterable {
        /// Rows in the group (`column` absent), or non-empty values of `column`.
        case count
        case sum, mean, min, max
        /// Share of `column`'s non-empty values that are true (booleans; `1`, `true`, `yes`).
        case rate
        /// The `percentile`-th percentile of `column` (a sketch: within 1 %).
        case percentile
        /// Distinct non-empty values of `column` (a sketch: within about 3 %).
        case distinct
        /// The group's rank (1 first) by `rankBy` of `column`, `order` descending by default.
        case rank
    }

    /// What to compute.
    public struct Aggregation: Codable, Sendable, Hashable {
        /// The function.
        public var fn: Function
        /// The column it reads (not for a row count).
        public var column: String?
        /// `percentile`: 0 to 100.
        public var percentile: Double?
        /// `rank`: the function the groups are ranked by (not `rank`, `distinct` or `percentile`).
        public var rankBy: Function?
        /// `rank`: `desc` (largest first, the default) or `asc`.
        public var order: String?

        /// An aggregation.
        public init(fn: Function, column: String? = nil, percentile: Double? = nil, rankBy: Function? = nil,
                    order: String? = nil) {
            self.fn = fn
            self.column = column
            self.percentile = percentile
            self.rankBy = rankBy
            self.order = order
        }
    }

    /// The periods values are computed for, in `zone`.
    public struct Period: Codable, Sendable, Hashable {
        /// The kinds of period.
        public enum Kind: String, Codable, Sendable, CaseIterable {
            /// A calendar day.
            case day
            /// An ISO week, Monday to Sunday.
            case isoWeek
            /// A calendar month.
            case month
            /// `hours` long, the day cut from midnight (24 must be a multiple of it).
            case custom
        }

        /// The kind.
        public var kind: Kind
        /// `custom`: its length in hours (1, 2, 3, 4, 6, 8 or 12).
        public var hours: Int?

        /// A period.
        public init(kind: Kind, hours: Int? = nil) {
            self.kind = kind
            self.hours = hours
        }
    }

    /// Unique name (letters, digits, `_`, `-`, `.`).
    public var name: String
    /// Set by the store: 1 for the first definition of a name, then one more per change.
    public var version: Int?
    public var description: String?
    /// The unit of its values (`%`, `students`, `s`).
    public var unit: String?
    public var source: Source
    public var aggregation: Aggregation
    /// Columns (or `tag:NAME` for a job tag) that split the values into groups.
    public var groupBy: [String]?
    public var period: Period
    /// The IANA zone periods are cut in (default `UTC`).
    public var zone: String?
    /// Days a computed value is kept (default 365); the cleanup action removes expired ones.
    public var ttlDays: Int?

    /// A definition.
    public init(name: String, version: Int? = nil, description: String? = nil, unit: String? = nil, source: Source,
                aggregation: Aggregation, groupBy: [String]? = nil, period: Period, zone: String? = nil, ttlDays: Int? = nil) {
        self.name = name
        self.version = version
        self.description = description
        self.unit = unit
        self.source = source
        self.aggregation = aggregation
        self.groupBy = groupBy
        self.period = period
        self.zone = zone
        self.ttlDays = ttlDays
    }

    /// Whether a job with this project, tags and dataset key is one of the source's.
    public func selects(project: String?, tags: [String: String], datasetKey: String?) -> Bool {
        guard source.kind == .datasets else { return false }
        if let wanted = source.project, wanted != (project ?? "default") { return false }
        if let wanted = source.datasetKey, wanted != datasetKey { return false }
        return (source.tags ?? [:]).allSatisfy { tags[$0.key] == $0.value }
    }
}
