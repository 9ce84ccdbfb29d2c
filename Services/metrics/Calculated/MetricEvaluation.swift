import Aggregation
import Tabular

/// One value of a metric for one group of a period.
struct ComputedValue: Equatable, Sendable {
    let dimensions: [String: String?]
    let value: Double
    let score: Double?
}

/// The values of a metric from its groups' partials: partials of the same group add up, then
/// each group's value is read off the sum (ranks: groups ordered by their `rankBy` value,
/// ties sharing a rank, "1224"). A plain function, tested directly.
enum MetricEvaluation {
    static func values(_ definition: MetricDefinition, groups: [MetricPartials.Group]) -> [ComputedValue] {
        var merged: [[String?]: PartialAggregate] = [:]
        for group in groups {
            if merged[group.key] == nil { merged[group.key] = group.state } else { merged[group.key]?.merge(group.state) }
        }
        let names = definition.groupBy ?? []
        let aggregation = definition.aggregation
        let countsRows = aggregation.column == nil
        func dimensions(_ key: [String?]) -> [String: String?] {
            Dictionary(zip(names, key + Array(repeating: nil, count: max(0, names.count - key.count))).map { ($0, $1) }) { a, _ in a }
        }
        guard aggregation.fn == .rank else {
            // In group-key order, so the same groups always come out in the same order.
            return merged.sorted { MetricPartials.precedes($0.key, $1.key) }
                .compactMap { key, state in
                    state.value(aggregation.fn, percentile: aggregation.percentile, countsRows: countsRows)
                        .map { ComputedValue(dimensions: dimensions(key), value: $0, score: nil) }
                }
        }
        let by = aggregation.rankBy ?? .mean
        let scored = merged.compactMap { key, state in
            state.value(by, percentile: aggregation.percentile, countsRows: countsRows).map { (key, $0) }
        }
        let ascending = aggregation.order == "asc"
        let ordered = scored.sorted { ascending ? $0.1 < $1.1 : $0.1 > $1.1 }
        var result: [ComputedValue] = []
        for (index, (key, score)) in ordered.enumerated() {
            let rank = index > 0 && ordered[index - 1].1 == score ? result[index - 1].value : Double(index + 1)
            result.append(ComputedValue(dimensions: dimensions(key), value: rank, score: score))
        }
        return result
    }

    /// Sluice's own jobs as rows, for a `jobs` source.
    static let jobColumns = ["state", "name", "rowsValid", "rowsInvalid", "durationSeconds"]
    /// Sluice's own incidents as rows, for an `incidents` source.
    static let incidentColumns = ["service", "errorType", "title"]

    /// The columns of a source of Sluice's own events (nil for datasets).
    static func columns(_ kind: MetricDefinition.Source.Kind) -> [String]? {
        switch kind {
        case .datasets: nil
        case .jobs: jobColumns
        case .incidents: incidentColumns
        }
    }
}
