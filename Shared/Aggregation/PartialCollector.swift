import Tabular

/// The partials of one metric for one job: one state per group (`key` holds the group's
/// values in `groupBy` order; nil is an empty cell). `problem` says why there is none (a
/// column the metric reads is not in the job's output).
public struct MetricPartials: Codable, Sendable, Hashable {
    /// One group's state.
    public struct Group: Codable, Sendable, Hashable {
        public var key: [String?]
        public var state: PartialAggregate

        /// A group.
        public init(key: [String?], state: PartialAggregate) {
            self.key = key
            self.state = state
        }
    }

    public var metric: String
    public var version: Int
    public var groups: [Group]
    public var problem: String?

    /// The order groups are listed in: by key, an empty cell first.
    public static func precedes(_ a: [String?], _ b: [String?]) -> Bool {
        a.lexicographicallyPrecedes(b) { ($0 ?? "") < ($1 ?? "") }
    }

    /// Partials.
    public init(metric: String, version: Int, groups: [Group], problem: String? = nil) {
        self.metric = metric
        self.version = version
        self.groups = groups
        self.problem = problem
    }
}

/// Builds the partials of several metrics in one pass over a job's output rows.
public struct PartialCollector: Sendable {
    private struct Plan: Sendable {
        let definition: MetricDefinition
        /// Per `groupBy` entry: the column's index, or the job tag's value.
        let keys: [Either]
        /// The first plan with the same `keys`: its group key is computed once per row for both.
        var keySource = 0
        let column: Int?
        let function: MetricDefinition.Function?
        var groups: [[String?]: PartialAggregate] = [:]
        let problem: String?
    }

    private enum Either: Sendable, Equatable {
        case column(Int)
        case constant(String?)
    }

    private var plans: [Plan]

    /// Partials of `definitions` for rows with `columns`, of a job tagged `tags`.
    public init(definitions: [MetricDefinition], columns: [String], tags: [String: String]) {
        let index = Dictionary(columns.enumerated().map { ($1, $0) }) { first, _ in first }
        plans = definitions.map { definition in
            var missing: [String] = []
            let keys: [Either] = (definition.groupBy ?? []).map { name in
                if name.hasPrefix("tag:") { return .constant(tags[String(name.dropFirst(4))]) }
                guard let i = index[name] else { missing.append(name); return .constant(nil) }
                return .column(i)
            }
            var column: Int?
            if let name = definition.aggregation.column {
                column = index[name]
                if column == nil { missing.append(name) }
            }
            let problem = missing.isEmpty ? nil
                : "the job's output has no column \(missing.map { "'\($0)'" }.joined(separator: ", ")) (it has \(columns.joined(separator: ", ")))"
            return Plan(definition: definition, keys: keys, column: column,
                        function: definition.aggregation.fn == .rank ? definition.aggregation.rankBy : definition.aggregation.fn,
                        problem: problem)
        }
        for p in plans.indices {
            plans[p].keySource = plans.firstIndex { $0.keys == plans[p].keys } ?? p
        }
    }

    /// Counts one output row.
    public mutating func add(row: [CellValue]) {
        var last: (source: Int, key: [String?])?
        for p in plans.indices where plans[p].problem == nil {
            let key: [String?]
            if let last, last.source == plans[p].keySource {
                key = last.key
            } else {
                key = plans[p].keys.map { part in
                    switch part {
                    case .constant(let value): return value
                    case .column(let i): return i < row.count && !row[i].isNull ? PartialAggregate.canonical(row[i]) : nil
                    }
                }
                last = (plans[p].keySource, key)
            }
            let value = plans[p].column.map { $0 < row.count ? row[$0] : .null } ?? .null
            let function = plans[p].function
            plans[p].groups[key, default: PartialAggregate(for: function)].add(value)
        }
    }

    /// The partials so far, one per metric, groups in key order.
    public var partials: [MetricPartials] {
        plans.map { plan in
            MetricPartials(metric: plan.definition.name, version: plan.definition.version ?? 1,
                           groups: plan.groups.sorted { MetricPartials.precedes($0.key, $1.key) }
                               .map { MetricPartials.Group(key: $0.key, state: $0.value) },
                           problem: plan.problem)
        }
    }
}
