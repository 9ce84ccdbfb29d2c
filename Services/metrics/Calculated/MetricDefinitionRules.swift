import Aggregation
import Contracts
import Foundation

/// What makes a metric definition usable, checked when it is stored; a permanent
/// ``SluiceError`` says what is wrong.
enum MetricDefinitionRules {
    static func check(_ d: MetricDefinition) throws {
        func refuse(_ message: String) -> SluiceError { SluiceError.permanent("metrics.invalid-definition", message) }
        guard d.name.range(of: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$", options: .regularExpression) != nil else {
            throw refuse("a metric name is 1–100 letters, digits, '_', '.' and '-', starting with a letter or digit")
        }
        let a = d.aggregation
        switch a.fn {
        case .count: break
        case .rank:
            guard let by = a.rankBy, by != .rank else { throw refuse("rank needs `rankBy`: the function groups are ranked by (not rank)") }
            guard by == .count || a.column != nil else { throw refuse("rank by \(by.rawValue) needs `column`") }
            guard d.groupBy?.isEmpty == false else { throw refuse("rank orders groups: give `groupBy`") }
            guard [nil, "asc", "desc"].contains(a.order) else { throw refuse("`order` is asc or desc") }
        default:
            guard a.column != nil else { throw refuse("\(a.fn.rawValue) needs `column`") }
        }
        if a.fn == .percentile || a.rankBy == .percentile {
            guard let p = a.percentile, (0...100).contains(p) else { throw refuse("percentile needs `percentile` from 0 to 100") }
        }
        if d.period.kind == .custom {
            guard let h = d.period.hours, [1, 2, 3, 4, 6, 8, 12].contains(h) else {
                throw refuse("a custom period is `hours` long: 1, 2, 3, 4, 6, 8 or 12 (a whole part of a day)")
            }
        }
        if let zone = d.zone, TimeZone(identifier: zone) == nil {
            throw refuse("unknown time zone '\(zone)': use an IANA name such as Europe/Madrid")
        }
        if let ttl = d.ttlDays, !(1...3650).contains(ttl) { throw refuse("ttlDays is 1 to 3650") }
        if let known = MetricEvaluation.columns(d.source.kind) {
            let kind = d.source.kind.rawValue
            guard d.source.project == nil, d.source.tags == nil, d.source.datasetKey == nil else {
                throw refuse("a \(kind) source counts all of Sluice's \(kind): project, tags and datasetKey are for datasets")
            }
            for column in (d.groupBy ?? []) + [a.column].compactMap({ $0 }) where !known.contains(column) {
                throw refuse("a \(kind) source has the columns \(known.joined(separator: ", ")); '\(column)' is not one")
            }
        }
    }
}
