import Foundation
import Reports
import Contracts
import Tabular
import Testing

/// Grouped KPIs: spec decoding, metric functions, ordering, limits, merging and errors.
@Suite struct GroupAggregatorTests {
    static let header = ["student", "course", "term", "grade", "completed", "status"]
    static let rows: [[CellValue]] = [
        ["ana", "Physics", "S1", 90, true, "completed"],
        ["ben", "Math", "S1", 71, false, "dropped"],
        ["cem", "Math", "S2", 85.5, true, "completed"],
        ["dan", "Art", "S1", .null, "yes", "completed"],
        ["eve", "Math", "S1", 100, "no", "pending"],
        ["fay", .null, "S2", 60, .null, .null],
        ["gus", "Art", "S2", "n/a", "TRUE", "completed"],
    ]

    /// The spec format from the job definition, decoded from JSON.
    static let specJSON = """
        [{"groupBy": ["course"],
          "metrics": [{"name": "avg_grade", "fn": "mean", "column": "grade"},
                      {"name": "students", "fn": "count"},
                      {"name": "graded", "fn": "count", "column": "grade"},
                      {"name": "total", "fn": "sum", "column": "grade"},
                      {"name": "lowest", "fn": "min", "column": "grade"},
                      {"name": "highest", "fn": "max", "column": "grade"},
                      {"name": "completion", "fn": "rate", "column": "completed"},
                      {"name": "done", "fn": "rate", "column": "status", "equals": "completed"}]},
         {"title": "Overall", "groupBy": [], "metrics": [{"name": "rows", "fn": "count"}]}]
        """

    static func aggregate(_ rows: [[CellValue]], groupLimit: Int = 100) throws -> GroupAggregator {
        let specs = try JSONDecoder().decode([AggregateSpec].self, from: Data(specJSON.utf8))
        var aggregator = try GroupAggregator(specs: specs, columns: header, groupLimit: groupLimit)
        for row in rows { aggregator.add(row: row) }
        return aggregator
    }

    @Test func metricsPerGroupSortedByKey() throws {
        let tables = try Self.aggregate(Self.rows).tables
        let byCourse = tables[0]
        #expect(byCourse.title == "by course")
        #expect(byCourse.rows.map(\.group) == [[.null], ["Art"], ["Math"], ["Physics"]])
        #expect(byCourse.value(of: "avg_grade", group: ["Math"]) == .number(85.5))
        #expect(byCourse.value(of: "students", group: ["Math"]) == .integer(3))
        #expect(byCourse.value(of: "graded", group: ["Art"]) == .integer(1))
        #expect(byCourse.value(of: "avg_grade", group: ["Art"]) == .null)
        #expect(byCourse.value(of: "total", group: ["Physics"]) == .integer(90))
        #expect(byCourse.value(of: "total", group: ["Math"]) == .number(256.5))
        #expect(byCourse.value(of: "lowest", group: ["Math"]) == .integer(71))
        #expect(byCourse.value(of: "highest", group: ["Math"]) == .integer(100))
        #expect(byCourse.value(of: "completion", group: ["Math"]) == .number(1.0 / 3))
        #expect(byCourse.value(of: "completion", group: ["Art"]) == .number(1))
        #expect(byCourse.value(of: "done", group: ["Art"]) == .number(1))
        #expect(byCourse.value(of: "done", group: [.null]) == .number(0))
        #expect(tables[1].title == "Overall")
        #expect(tables[1].rows == [AggregateTable.Row(group: [], values: [7])])
    }

    @Test func csvAndJSONRendering() throws {
        let table = try Self.aggregate(Self.rows).tables[0]
        let lines = table.csv.split(separator: "\n")
        #expect(lines.first == "course,avg_grade,students,graded,total,lowest,highest,completion,done")
        #expect(lines[2] == "Art,,2,1,,,,1.0,1.0")
        let json = String(decoding: try ReportTestSupport.json(table), as: UTF8.self)
        #expect(json.contains("{\"group\":[\"Math\"],\"values\":[85.5,3,3,256.5,71,100,"))
    }

    @Test func mergeEqualsSequential() throws {
        let sequential = try Self.aggregate(Self.rows)
        var merged = try Self.aggregate(Array(Self.rows[0..<3]))
        merged.merge(try Self.aggregate(Array(Self.rows[3...])))
        #expect(merged.tables == sequential.tables)
    }

    @Test func groupLimitFlagsInsteadOfGrowing() throws {
        let aggregator = try Self.aggregate(Self.rows, groupLimit: 2)
        let table = aggregator.tables[0]
        #expect(table.rows.count == 2)
        #expect(table.truncated)
        #expect(table.rowsNotAggregated == 3)
        #expect(aggregator.warnings.map(\.code) == ["aggregate.group-limit"])
        #expect(aggregator.tables[1].truncated == false)
    }

    @Test func multiColumnKeysAndManyRows() throws {
        let spec = AggregateSpec(groupBy: ["course", "term"], metrics: [MetricSpec(name: "n", fn: .count)])
        var aggregator = try GroupAggregator(specs: [spec], columns: Self.header)
        for _ in 0..<1_000 { for row in Self.rows { aggregator.add(row: row) } }
        let table = aggregator.tables[0]
        #expect(table.rows.map(\.group) == [
            [.null, "S2"], ["Art", "S1"], ["Art", "S2"], ["Math", "S1"], ["Math", "S2"], ["Physics", "S1"],
        ])
        #expect(table.rows.map(\.values) == [[1_000], [1_000], [1_000], [2_000], [1_000], [1_000]])
    }

    @Test func configurationErrorsHaveCodes() {
        func code(_ specs: [AggregateSpec]) -> String? {
            do {
                _ = try GroupAggregator(specs: specs, columns: Self.header)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code([AggregateSpec(groupBy: ["nope"], metrics: [MetricSpec(name: "n", fn: .count)])])
                == "aggregate.unknown-column")
        #expect(code([AggregateSpec(groupBy: [], metrics: [MetricSpec(name: "m", fn: .mean)])])
                == "aggregate.missing-column")
        #expect(code([AggregateSpec(groupBy: [], metrics: [
            MetricSpec(name: "n", fn: .count), MetricSpec(name: "n", fn: .count),
        ])]) == "aggregate.duplicate-metric")
        #expect(code([AggregateSpec(groupBy: ["course"], metrics: [])]) == "aggregate.no-metrics")
    }

    @Test func truthiness() {
        let truthy: [CellValue] = [true, 1, 2.5, "true", "YES", "y", "T", "1"]
        let falsy: [CellValue] = [false, 0, .null, "no", "false", "", "completed", .number(.nan)]
        #expect(truthy.allSatisfy(AggregateFunction.isTruthy))
        #expect(!falsy.contains(where: AggregateFunction.isTruthy))
    }
}
