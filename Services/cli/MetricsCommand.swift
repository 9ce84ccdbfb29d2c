import Aggregation
import APIModels
import ArgumentParser
import Contracts
import Foundation
import Runtime

/// `sluice metrics define|list|compute|query`: calculated metrics through the gateway
/// (docs/metrics.md).
struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics", abstract: "Calculated metrics: define them, compute them for periods, query their values.",
        subcommands: [Define.self, List.self, Compute.self, Query.self])

    struct Define: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store a metric definition (JSON) as the next version of its name (admins).")
        @Argument(help: "A JSON file holding the definition.") var file: String
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await exiting {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CLIError(code: ExitCodes.usage, message: "cannot read \(file)")
                }
                let definition: MetricDefinition
                do { definition = try JSONCoding.decode(MetricDefinition.self, from: Array(data)) } catch {
                    throw CLIError(code: ExitCodes.usage, message: "\(file) is not a metric definition: \(describe(error))")
                }
                let stored = try await APIClient(global: global).send(
                    MetricDefinition.self, "PUT", "/metrics/definitions/\(APIClient.escape(definition.name))", body: definition)
                if json { return try HTTPJSON.print(stored) }
                print("\(stored.name) version \(stored.version ?? 1)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The metrics you can see, latest version of each.")
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await exiting {
                let all = try await APIClient(global: global).get([MetricDefinition].self, "/metrics/definitions")
                if json { return try HTTPJSON.print(all) }
                print(Table.render(all.map { d in
                    let a = d.aggregation
                    let what = a.fn.rawValue + (a.column.map { "(\($0))" } ?? "") + (a.percentile.map { " p\($0)" } ?? "")
                    return [d.name, "\(d.version ?? 1)", what, (d.groupBy ?? []).joined(separator: ","), d.period.kind.rawValue,
                            d.zone ?? "UTC", d.unit ?? "", d.source.kind.rawValue + (d.source.project.map { ":\($0)" } ?? "")]
                }, header: ["NAME", "VERSION", "AGGREGATION", "GROUP BY", "PERIOD", "ZONE", "UNIT", "SOURCE"]))
            }
        }
    }

    struct Compute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compute metrics for the period holding --date, or every period from --from to --to (replacing stored values).")
        @Argument(help: "Metric names (none: every metric you can see).") var names: [String] = []
        @Option(help: "A date (YYYY-MM-DD, in each metric's zone).") var date: String?
        @Option(help: "First date of a range.") var from: String?
        @Option(help: "Last date of a range (included).") var to: String?
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await exiting {
                guard (date != nil) != (from != nil || to != nil), date != nil || (from != nil && to != nil) else {
                    throw CLIError(code: ExitCodes.usage, message: "give --date D, or --from D --to D")
                }
                let runs = try await APIClient(global: global).send(
                    [MetricRun].self, "POST", "/metrics/compute",
                    body: MetricComputeRequest(names: names.isEmpty ? nil : names, date: date, from: from, to: to))
                if json { return try HTTPJSON.print(runs) }
                print(Table.render(runs.map { run in
                    [run.metric, JSONCoding.formatTimestamp(run.periodStart), JSONCoding.formatTimestamp(run.periodEnd), run.outcome,
                     "\(run.jobs)", "\(run.groups)", run.error ?? ""]
                }, header: ["METRIC", "FROM", "TO", "OUTCOME", "JOBS", "GROUPS", "NOTE"]))
                if runs.contains(where: { $0.outcome == "failed" || $0.outcome == "timed-out" }) {
                    throw CLIError(code: 1, message: "some computations failed (each opened an incident)")
                }
            }
        }
    }

    struct Query: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A metric's stored values, newest period first.")
        @Argument(help: "The metric.") var name: String
        @Option(help: "Only groups with this dimension value, NAME=VALUE (repeat for several).") var dim: [String] = []
        @Option(help: "Periods starting at or after this instant (ISO 8601).") var from: String?
        @Option(help: "Periods starting before this instant.") var to: String?
        @Option(help: "At most this many values (1 to 10000).") var limit = 100
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await exiting {
                var query: [(String, String?)] = [("name", name), ("from", from), ("to", to), ("limit", "\(limit)")]
                query += dim.map { ("dim", $0) }
                let values = try await APIClient(global: global).get([CalculatedValue].self, "/metrics/calculated", query: query)
                if json { return try HTTPJSON.print(values) }
                print(Table.render(values.map { v in
                    [JSONCoding.formatTimestamp(v.periodStart),
                     v.dimensions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value ?? "")" }.joined(separator: " "),
                     Self.number(v.value) + (v.unit.map { " \($0)" } ?? ""), v.score.map(Self.number) ?? ""]
                }, header: ["PERIOD", "DIMENSIONS", "VALUE", "SCORE"]))
            }
        }

        static func number(_ value: Double) -> String {
            value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.6g", value)
        }
    }
}
