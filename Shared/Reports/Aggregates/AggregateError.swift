import Contracts
import Tabular
/// Why an aggregate spec cannot be used, or what limited its result.
///
/// Errors are plain values with stable `code` strings, like `CSVError`: they can be stored
/// with a job, counted in metrics and matched by API clients. Configuration problems are
/// thrown by `GroupAggregator.init`; `groupLimitReached` is not thrown but reported in
/// `GroupAggregator.warnings`, because a KPI table with its largest groups is still useful.
public enum AggregateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A `groupBy` or metric column is not in the table's header.
    case unknownColumn(spec: String, column: String)
    /// A metric other than `count` has no `column`.
    case missingColumn(spec: String, metric: String)
    /// Two metrics of one spec share a name.
    case duplicateMetric(spec: String, metric: String)
    /// A spec lists no metrics.
    case noMetrics(spec: String)
    /// More distinct groups than the limit: rows of further groups were not aggregated.
    case groupLimitReached(spec: String, limit: Int, rowsNotAggregated: Int)

    /// A stable machine-readable identifier, safe to match on and to store.
    public var code: String {
        switch self {
        case .unknownColumn: "aggregate.unknown-column"
        case .missingColumn: "aggregate.missing-column"
        case .duplicateMetric: "aggregate.duplicate-metric"
        case .noMetrics: "aggregate.no-metrics"
        case .groupLimitReached: "aggregate.group-limit"
        }
    }

    /// The spec's display title the problem is about.
    public var spec: String {
        switch self {
        case .unknownColumn(let spec, _), .missingColumn(let spec, _),
            .duplicateMetric(let spec, _), .noMetrics(let spec),
            .groupLimitReached(let spec, _, _):
            spec
        }
    }

    /// A sentence a person can act on.
    public var message: String {
        switch self {
        case .unknownColumn(let spec, let column):
            "The aggregate \"\(spec)\" uses the column \"\(column)\", which the output does not "
                + "have. Check the spelling against the output header."
        case .missingColumn(let spec, let metric):
            "The metric \"\(metric)\" of the aggregate \"\(spec)\" needs a \"column\"; only "
                + "\"count\" works without one."
        case .duplicateMetric(let spec, let metric):
            "The aggregate \"\(spec)\" defines the metric \"\(metric)\" twice. Give each "
                + "metric its own name."
        case .noMetrics(let spec):
            "The aggregate \"\(spec)\" lists no metrics. Add at least one, for example "
                + "{\"name\": \"rows\", \"fn\": \"count\"}."
        case .groupLimitReached(let spec, let limit, let rows):
            "The aggregate \"\(spec)\" reached its limit of \(limit) groups; \(rows) rows of "
                + "further groups were not aggregated. Group by fewer or coarser columns."
        }
    }

    /// The code and message together, as they should appear in logs.
    public var description: String { "\(code): \(message)" }
}
