import Contracts
import Tabular
/// Grouped KPIs over a stream of rows: one `AggregateTable` per `AggregateSpec`.
///
/// Column names are resolved to indices once, in `init`, so `add(row:)` does no lookups
/// by name: per row and spec it builds the group key, finds the group, and folds each
/// metric's cell in. Chunks processed separately combine with `merge(_:)`.
///
/// Memory is bounded by `groupLimit` groups per spec. Rows of groups beyond the limit are
/// counted, not aggregated, and reported as `AggregateError.groupLimitReached` in
/// `warnings` and as `truncated` on the table.
///
/// Output rows are sorted by group key with a fixed order (null first, then booleans,
/// numbers by value, text), so the result does not depend on hashing or arrival order.
public struct GroupAggregator: Sendable {
    /// The specs, as given.
    public let specs: [AggregateSpec]
    /// The maximum number of groups kept per spec.
    public let groupLimit: Int
    /// Per-spec state, parallel to `specs`.
    private var states: [SpecState]

    /// The resolved plan and running groups of one spec.
    private struct SpecState: Sendable {
        /// Indices of the group-by columns.
        var keyColumns: [Int]
        /// Per metric: function, input column index (nil for a plain count), and the rate's
        /// condition as text.
        var metrics: [(function: AggregateFunction, column: Int?, equals: String?)]
        /// Group key → one state per metric.
        var groups: [[ValueKey?]: [MetricState]] = [:]
        /// Rows whose group could not be created because of the limit.
        var rowsNotAggregated = 0
    }

    /// Resolves every spec against `columns` (the table's header).
    ///
    /// - Throws: `AggregateError` for an unknown column, a metric without a needed column,
    ///   duplicate metric names, or a spec without metrics.
    public init(specs: [AggregateSpec], columns: [String], groupLimit: Int = 10_000) throws(AggregateError) {
        var positions: [String: Int] = [:]
        for (index, name) in columns.enumerated() where positions[name] == nil { positions[name] = index }
        func resolve(_ name: String, _ spec: AggregateSpec) throws(AggregateError) -> Int {
            guard let index = positions[name] else {
                throw .unknownColumn(spec: spec.displayTitle, column: name)
            }
            return index
        }
        var states: [SpecState] = []
        for spec in specs {
            guard !spec.metrics.isEmpty else { throw .noMetrics(spec: spec.displayTitle) }
            var keyColumns: [Int] = []
            for name in spec.groupBy { keyColumns.append(try resolve(name, spec)) }
            var seen = Set<String>()
            var metrics: [(function: AggregateFunction, column: Int?, equals: String?)] = []
            for metric in spec.metrics {
                guard seen.insert(metric.name).inserted else {
                    throw .duplicateMetric(spec: spec.displayTitle, metric: metric.name)
                }
                var column: Int?
                if let name = metric.column {
                    column = try resolve(name, spec)
                } else if metric.fn.needsColumn {
                    throw .missingColumn(spec: spec.displayTitle, metric: metric.name)
                }
                let equals = metric.fn == .rate ? metric.equals?.csvText : nil
                metrics.append((metric.fn, column, equals))
            }
            states.append(SpecState(keyColumns: keyColumns, metrics: metrics))
        }
        self.specs = specs
        self.groupLimit = max(groupLimit, 1)
        self.states = states
    }

    /// Folds one row into every spec. Cells beyond the row's end read as null.
    public mutating func add(row: [CellValue]) {
        for index in states.indices {
            let key = states[index].keyColumns.map { $0 < row.count ? ValueKey(row[$0]) : nil }
            let metrics = states[index].metrics
            let slot: [[ValueKey?]: [MetricState]].Index
            if let found = states[index].groups.index(forKey: key) {
                slot = found
            } else {
                guard states[index].groups.count < groupLimit else {
                    states[index].rowsNotAggregated += 1
                    continue
                }
                states[index].groups[key] = [MetricState](repeating: MetricState(), count: metrics.count)
                slot = states[index].groups.index(forKey: key)!
            }
            // Mutating through `values[slot]` updates in place, with one hash per row.
            for (position, metric) in metrics.enumerated() {
                let cell: CellValue = metric.column.map { $0 < row.count ? row[$0] : .null } ?? .null
                states[index].groups.values[slot][position].add(
                    cell, function: metric.function, equals: metric.equals)
            }
        }
    }

    /// Combines another aggregator built from the same specs and header (another chunk).
    /// Groups new to this one are added while the limit allows; the rows of the rest are
    /// counted as not aggregated.
    public mutating func merge(_ other: GroupAggregator) {
        for index in states.indices where index < other.states.count {
            states[index].rowsNotAggregated += other.states[index].rowsNotAggregated
            for (key, theirs) in other.states[index].groups.sorted(by: { Self.keyLess($0.key, $1.key) }) {
                if var mine = states[index].groups[key] {
                    for position in mine.indices where position < theirs.count { mine[position].merge(theirs[position]) }
                    states[index].groups[key] = mine
                } else if states[index].groups.count < groupLimit {
                    states[index].groups[key] = theirs
                } else {
                    states[index].rowsNotAggregated += theirs.first?.rows ?? 0
                }
            }
        }
    }

    /// One table per spec, rows sorted by group key.
    public var tables: [AggregateTable] {
        zip(specs, states).map { spec, state in
            let rows = state.groups.sorted { Self.keyLess($0.key, $1.key) }.map { key, metrics in
                AggregateTable.Row(
                    group: key.map { $0?.cellValue ?? .null },
                    values: zip(spec.metrics, metrics).map { metric, value in
                        value.result(metric.fn, hasColumn: metric.column != nil)
                    })
            }
            return AggregateTable(
                title: spec.displayTitle, groupBy: spec.groupBy, metrics: spec.metrics.map(\.name),
                functions: spec.metrics.map(\.fn),
                rows: rows, truncated: state.rowsNotAggregated > 0,
                rowsNotAggregated: state.rowsNotAggregated)
        }
    }

    /// `groupLimitReached` for every spec that hit the limit.
    public var warnings: [AggregateError] {
        zip(specs, states).compactMap { spec, state in
            state.rowsNotAggregated > 0
                ? .groupLimitReached(spec: spec.displayTitle, limit: groupLimit,
                                     rowsNotAggregated: state.rowsNotAggregated)
                : nil
        }
    }

    /// Lexicographic order of group keys, null before any value.
    private static func keyLess(_ left: [ValueKey?], _ right: [ValueKey?]) -> Bool {
        for (a, b) in zip(left, right) where a != b {
            guard let a else { return true }
            guard let b else { return false }
            return a < b
        }
        return left.count < right.count
    }
}
