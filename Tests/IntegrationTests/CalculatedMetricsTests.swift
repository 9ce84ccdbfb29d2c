import Aggregation
import APIModels
import Catalog
import Contracts
import Foundation
import Messaging
import Runtime
@testable import TestSupport
import Testing

/// Calculated metrics on the whole pipeline (real RabbitMQ and PostgreSQL), against pandas as
/// the oracle: three published jobs' partials, merged for the month, equal the same figures
/// computed directly from their datasets; computing again replaces; expired values go at the
/// cleanup.
@Suite("Calculated metrics (real pipeline, pandas oracle)")
struct CalculatedMetricsTests {
    /// A gradebook of 60 rows for job `n`: some grades missing, students repeating across jobs.
    static func csv(_ n: Int) -> String {
        var text = "student,course,grade,passed\n"
        for i in 0..<60 {
            let grade = Double((i * 37 + n * 11) % 55) + 40.5
            let course = ["Algebra", "Physics", "History", "Chemistry"][(i + n) % 4]
            text += "S\((i * 7 + n * 5) % 70),\(course),\(i % 13 == 0 ? "" : String(grade)),\(grade >= 62 ? "true" : "false")\n"
        }
        return text
    }

    static let metrics: [(String, MetricDefinition.Aggregation)] = [
        ("rows", .init(fn: .count)), ("graded", .init(fn: .count, column: "grade")), ("total", .init(fn: .sum, column: "grade")),
        ("mean", .init(fn: .mean, column: "grade")), ("lowest", .init(fn: .min, column: "grade")),
        ("highest", .init(fn: .max, column: "grade")), ("pass_rate", .init(fn: .rate, column: "passed")),
        ("students", .init(fn: .distinct, column: "student")), ("p90", .init(fn: .percentile, column: "grade", percentile: 90)),
        ("rank", .init(fn: .rank, column: "grade", rankBy: .mean)),
    ]

    @Test("merged partials of three jobs equal pandas on their datasets; recomputing replaces; expired values go at cleanup")
    func pandasOracle() async throws {
        let world = try GatewayWorld()
        try await world.start()
        let pipeline = world.pipeline
        let admin = world.token("admin")
        let env = pipeline.cliEnvironment(token: admin)
        let suite = pipeline.prefix
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(suite)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, aggregation) in Self.metrics {
            let definition = MetricDefinition(name: "\(name)-\(suite)", unit: name == "pass_rate" ? "ratio" : nil,
                                              source: .init(kind: .datasets, project: "alpha", tags: ["suite": suite]),
                                              aggregation: aggregation, groupBy: ["course"], period: .init(kind: .month))
            let file = folder.appendingPathComponent("\(name).json")
            try Data(JSONCoding.encode(definition)).write(to: file)
            let defined = try await SluiceCLI.run(["metrics", "define", file.path], environment: env)
            #expect(defined.status == 0 && defined.output.contains("version 1"), "\(defined.output)")
        }
        // Definitions are fetched by publish every 10 s: let it see them before the jobs run.
        try await Task.sleep(for: .seconds(11))
        var files: [String] = []
        for n in 0..<3 {
            let job = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: admin, json: JobSubmit(
                name: "grades-\(n)", source: .inline(Self.csv(n)), tags: ["suite": suite], project: "alpha"))
            try await TestEnvironment.eventually(timeout: .seconds(60)) {
                (try? await pipeline.gatewayJSON(GatewayJob.self, "GET", "/jobs/\(job.id)", token: admin))?.state == "completed"
            }
            let file = folder.appendingPathComponent("job-\(n).csv")
            try Data(Self.csv(n).utf8).write(to: file)
            files.append(file.path)
        }
        let month = String(JSONCoding.formatTimestamp(Date()).prefix(10))
        let computed = try await SluiceCLI.run(["metrics", "compute", "--date", month, "--json"] + Self.metrics.map { "\($0.0)-\(suite)" },
                                               environment: env)
        #expect(computed.status == 0, "\(computed.output)")
        let runs = try JSONCoding.decode([MetricRun].self, from: Array(computed.output.utf8))
        #expect(runs.count == Self.metrics.count && runs.allSatisfy { $0.outcome == "computed" && $0.jobs == 3 && $0.missing == 0 },
                "\(runs)")

        // pandas, straight from the three datasets.
        let oracle = try Python.run("""
            import json, sys, pandas as pd
            frame = pd.concat([pd.read_csv(f) for f in sys.argv[1:]])
            g = frame.groupby("course")
            out = {"rows": g.size(), "graded": g["grade"].count(), "total": g["grade"].sum(), "mean": g["grade"].mean(),
                   "lowest": g["grade"].min(), "highest": g["grade"].max(), "pass_rate": g["passed"].mean(),
                   "students": g["student"].nunique(), "p90": g["grade"].quantile(0.9, interpolation="lower"),
                   "rank": g["grade"].mean().rank(method="min", ascending=False)}
            print(json.dumps({k: {c: float(v) for c, v in s.items()} for k, s in out.items()}))
            """, files)
        #expect(oracle.status == 0, "\(oracle.stderr)")
        let expected = try JSONSerialization.jsonObject(with: Data(oracle.stdout.utf8)) as? [String: [String: Double]] ?? [:]
        for (name, _) in Self.metrics {
            let values = try await pipeline.gatewayJSON([CalculatedValue].self, "GET", "/metrics/calculated?name=\(name)-\(suite)",
                                                        token: admin)
            let got = Dictionary(values.compactMap { v in v.dimensions["course"].flatMap { $0 }.map { ($0, v.value) } }) { a, _ in a }
            let want = try #require(expected[name])
            #expect(Set(got.keys) == Set(want.keys), "\(name): \(got) vs \(want)")
            for (course, value) in want {
                let tolerance = switch name {
                case "students": 0.02 * value + 1  // HyperLogLog (linear counting at these sizes)
                case "p90": 0.0101 * abs(value)     // DDSketch, α = 1 %
                default: 1e-9 * max(1, abs(value))
                }
                #expect(abs((got[course] ?? .nan) - value) <= tolerance, "\(name) \(course): \(got[course] ?? .nan) vs pandas \(value)")
            }
        }

        // Sluice's own incidents: a job that fails at ingest opens one, counted per service.
        _ = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: admin, json: JobSubmit(
            name: "missing", source: .path("/nowhere-\(suite).csv"), project: "alpha"))
        let incidents = MetricDefinition(name: "incidents-\(suite)", source: .init(kind: .incidents), aggregation: .init(fn: .count),
                                         groupBy: ["service"], period: .init(kind: .day))
        let incidentFile = folder.appendingPathComponent("incidents.json")
        try Data(JSONCoding.encode(incidents)).write(to: incidentFile)
        #expect(try await SluiceCLI.run(["metrics", "define", incidentFile.path], environment: env).status == 0)
        let today = String(JSONCoding.formatTimestamp(Date()).prefix(10))
        try await TestEnvironment.eventually(timeout: .seconds(60)) {
            _ = try? await SluiceCLI.run(["metrics", "compute", "incidents-\(suite)", "--date", today], environment: env)
            let values = try? await pipeline.gatewayJSON([CalculatedValue].self, "GET",
                                                         "/metrics/calculated?name=incidents-\(suite)&dim=service=ingest", token: admin)
            return (values?.first?.value ?? 0) >= 1
        }

        // Computing the same period again replaces its values.
        let again = try await SluiceCLI.run(["metrics", "compute", "mean-\(suite)", "--date", month], environment: env)
        #expect(again.status == 0, "\(again.output)")
        let schema = TestEnvironment.schema("metrics", prefix: suite)
        func stored(_ metric: String) async throws -> Int {
            try await TestEnvironment.withDatabase(TestEnvironment.adminDatabase(schema: schema)) { db in
                var count = 0
                for try await n in try await db.query("SELECT count(*)::int FROM metric_values WHERE metric = \(metric)",
                                                      logger: TestEnvironment.logger).decode(Int.self) { count = n }
                return count
            }
        }
        #expect(try await stored("mean-\(suite)") == 4, "one value per course, not two")
        let query = try await SluiceCLI.run(["metrics", "query", "mean-\(suite)", "--dim", "course=Physics"], environment: env)
        #expect(query.status == 0 && query.output.contains("course=Physics") && !query.output.contains("Algebra"), "\(query.output)")

        // A schedule whose action is metrics computes the period that just ended (run now: this month).
        let schedule = "metrics-\(suite)"
        let added = try await SluiceCLI.run(["schedules", "add", schedule, "--cron", "5 0 * * *", "--project", "alpha",
                                             "--action", "metrics", "--metric", "total-\(suite)"], environment: env)
        #expect(added.status == 0, "\(added.output)")
        let ran = try await SluiceCLI.run(["schedules", "run", schedule], environment: env)
        #expect(ran.status == 0 && ran.output.contains("sent metrics.compute"), "\(ran.output)")
        try await TestEnvironment.eventually(timeout: .seconds(30)) {
            let runs = try? await TestEnvironment.withDatabase(TestEnvironment.adminDatabase(schema: schema)) { db in
                var found = 0
                for try await n in try await db.query("""
                    SELECT count(*)::int FROM metric_runs
                    WHERE metric = \("total-\(suite)") AND requested_by = \("schedule:\(schedule)") AND outcome = 'computed'
                    """, logger: TestEnvironment.logger).decode(Int.self) { found = n }
                return found
            }
            return (runs ?? 0) == 1
        }

        // Expired values go at the next cleanup.
        try await TestEnvironment.withDatabase(TestEnvironment.adminDatabase(schema: schema)) { db in
            try await db.query("UPDATE metric_values SET expires_at = now() - interval '1 second' WHERE metric = \("mean-\(suite)")",
                               logger: TestEnvironment.logger)
        }
        let topology = SluiceTopology(prefix: suite, subscriptions: ServiceCatalog.subscriptions)
        try await pipeline.publisher.publish([try OutgoingMessage.event(
            Envelope(id: "test/cleanup/\(suite)", jobId: nil, correlationId: "test", causationId: nil, producer: "test",
                     payload: CleanupRequested(requestedBy: "test")), topology: topology)])
        try await TestEnvironment.eventually(timeout: .seconds(30)) { (try? await stored("mean-\(suite)")) == 0 }
        #expect(try await stored("total-\(suite)") == 4, "values not expired stay")
        await world.stop()
    }
}
