import Aggregation
import Foundation
@testable import MetricsService
import Tabular
import Testing

/// Partials of several jobs, merged, give what the rows of all of them give at once; periods
/// in a zone; what a definition must say.
@Suite("Calculated metrics: evaluation, periods, rules")
struct MetricEvaluationTests {
    static let columns = ["student", "course", "grade", "passed"]
    static func rows(_ job: Int) -> [[CellValue]] {
        (0..<40).map { i in
            let grade = Double((i * 7 + job * 13) % 60 + 40)
            return [.string("S\((i + job * 17) % 55)"), .string(["Algebra", "Physics", "History"][i % 3]),
                    i % 11 == 0 ? .null : .number(grade), .bool(grade >= 60)]
        }
    }

    func definition(_ fn: MetricDefinition.Function, column: String? = "grade", rankBy: MetricDefinition.Function? = nil,
                    percentile: Double? = nil) -> MetricDefinition {
        MetricDefinition(name: "m", version: 1, source: .init(kind: .datasets),
                         aggregation: .init(fn: fn, column: column, percentile: percentile, rankBy: rankBy),
                         groupBy: ["course"], period: .init(kind: .day))
    }

    /// The values from three jobs' partials, and from one collector that saw every row.
    func both(_ d: MetricDefinition) -> ([ComputedValue], [ComputedValue]) {
        var merged: [MetricPartials.Group] = []
        var whole = PartialCollector(definitions: [d], columns: Self.columns, tags: [:])
        for job in 0..<3 {
            var collector = PartialCollector(definitions: [d], columns: Self.columns, tags: [:])
            for row in Self.rows(job) {
                collector.add(row: row)
                whole.add(row: row)
            }
            merged += collector.partials[0].groups
        }
        return (MetricEvaluation.values(d, groups: merged), MetricEvaluation.values(d, groups: whole.partials[0].groups))
    }

    @Test("merged partials equal one pass over all rows, for every function", arguments: MetricDefinition.Function.allCases)
    func merging(fn: MetricDefinition.Function) {
        let (merged, whole) = both(definition(fn, rankBy: fn == .rank ? .mean : nil, percentile: fn == .percentile ? 90 : nil))
        #expect(merged.count == 3 && merged.map(\.dimensions) == whole.map(\.dimensions))
        for (a, b) in zip(merged, whole) { #expect(abs(a.value - b.value) <= 1e-9 * max(1, abs(b.value)), "\(fn)") }
    }

    @Test("exact functions equal a direct computation; rate skips empty cells; rank orders by mean, highest first")
    func exact() throws {
        let all = (0..<3).flatMap { Self.rows($0) }
        let physics = all.filter { $0[1] == .string("Physics") }
        let grades = physics.compactMap { row -> Double? in if case .number(let g) = row[2] { return g } else { return nil } }
        func value(_ d: MetricDefinition) -> Double? { both(d).0.first { $0.dimensions["course"] == "Physics" }?.value }
        #expect(value(definition(.count, column: nil)) == Double(physics.count))
        #expect(value(definition(.count)) == Double(grades.count))
        #expect(value(definition(.sum)) == grades.reduce(0, +))
        #expect(value(definition(.min)) == grades.min() && value(definition(.max)) == grades.max())
        #expect(abs(try #require(value(definition(.mean))) - grades.reduce(0, +) / Double(grades.count)) < 1e-9)
        let passed = physics.filter { $0[3] == .bool(true) }.count
        #expect(value(definition(.rate, column: "passed")) == Double(passed) / Double(physics.count))
        let ranks = both(definition(.rank, rankBy: .mean)).0.sorted { $0.value < $1.value }
        #expect(ranks.map(\.value) == [1, 2, 3] && ranks[0].score! >= ranks[1].score! && ranks[1].score! >= ranks[2].score!)
    }

    @Test("a column the job lacks is a problem, not a wrong value")
    func missingColumn() {
        var collector = PartialCollector(definitions: [definition(.mean, column: "score")], columns: Self.columns, tags: [:])
        collector.add(row: Self.rows(0)[0])
        #expect(collector.partials[0].groups.isEmpty && collector.partials[0].problem?.contains("'score'") == true)
    }

    @Test("periods: a Madrid day is 23 hours on the spring change; ISO weeks start on Monday; months; custom hours")
    func periods() throws {
        let madrid = try #require(TimeZone(identifier: "Europe/Madrid"))
        let change = try #require(ISO8601DateFormatter().date(from: "2026-03-29T12:00:00Z"))
        let day = MetricPeriods.containing(change, .init(kind: .day), zone: madrid)
        #expect(day.end.timeIntervalSince(day.start) == 23 * 3600)
        #expect(ISO8601DateFormatter().string(from: day.start) == "2026-03-28T23:00:00Z")
        let week = MetricPeriods.containing(change, .init(kind: .isoWeek), zone: .gmt)
        #expect(ISO8601DateFormatter().string(from: week.start) == "2026-03-23T00:00:00Z" && week.end.timeIntervalSince(week.start) == 7 * 86_400)
        let month = MetricPeriods.containing(change, .init(kind: .month), zone: .gmt)
        #expect(ISO8601DateFormatter().string(from: month.start) == "2026-03-01T00:00:00Z")
        let sixHours = MetricPeriods.containing(change, .init(kind: .custom, hours: 6), zone: .gmt)
        #expect(ISO8601DateFormatter().string(from: sixHours.start) == "2026-03-29T12:00:00Z")
        #expect(MetricPeriods.covering(day.start, day.start.addingTimeInterval(6 * 86_400), .init(kind: .day), zone: madrid).count == 7)
        #expect(MetricPeriods.day("2026-02-30", zone: .gmt) == nil && MetricPeriods.day("2026-02-28", zone: .gmt) != nil)
    }

    @Test("custom periods on daylight-saving days: wall-clock slices that neither overlap nor leave a gap", arguments: [
        "2026-03-29T12:00:00Z", "2026-10-25T12:00:00Z",
    ])
    func customOnChangeDays(day: String) throws {
        let madrid = try #require(TimeZone(identifier: "Europe/Madrid"))
        let instant = try #require(ISO8601DateFormatter().date(from: day))
        let whole = MetricPeriods.containing(instant, .init(kind: .day), zone: madrid)
        let slices = MetricPeriods.covering(whole.start, whole.end.addingTimeInterval(-1), .init(kind: .custom, hours: 6), zone: madrid)
        #expect(slices.count == 4, "\(slices)")
        #expect(slices.first?.start == whole.start && slices.last?.end == whole.end)
        #expect(zip(slices, slices.dropFirst()).allSatisfy { $0.end == $1.start })
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = madrid
        #expect(slices.map { calendar.component(.hour, from: $0.start) } == [0, 6, 12, 18])
    }

    @Test("a definition says what it needs: a column, a percentile, a rank order, a whole part of a day, a known zone")
    func rules() {
        #expect(throws: Never.self) { try MetricDefinitionRules.check(definition(.mean)) }
        #expect(throws: Never.self) { try MetricDefinitionRules.check(definition(.count, column: nil)) }
        #expect(throws: Never.self) {
            try MetricDefinitionRules.check(MetricDefinition(name: "x", source: .init(kind: .incidents), aggregation: .init(fn: .count),
                                                             groupBy: ["service", "errorType"], period: .init(kind: .isoWeek)))
        }
        for bad in [definition(.mean, column: nil), definition(.percentile), definition(.rank),
                    MetricDefinition(name: "x y", source: .init(kind: .datasets), aggregation: .init(fn: .count), period: .init(kind: .day)),
                    MetricDefinition(name: "x", source: .init(kind: .datasets), aggregation: .init(fn: .count),
                                     period: .init(kind: .custom, hours: 5)),
                    MetricDefinition(name: "x", source: .init(kind: .datasets), aggregation: .init(fn: .count), period: .init(kind: .day),
                                     zone: "Mars/Olympus"),
                    MetricDefinition(name: "x", source: .init(kind: .jobs), aggregation: .init(fn: .mean, column: "grade"),
                                     period: .init(kind: .day)),
                    MetricDefinition(name: "x", source: .init(kind: .incidents, project: "p"), aggregation: .init(fn: .count),
                                     period: .init(kind: .day))] {
            #expect(throws: (any Error).self) { try MetricDefinitionRules.check(bad) }
        }
    }
}
