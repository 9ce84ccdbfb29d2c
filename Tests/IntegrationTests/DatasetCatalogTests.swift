import APIModels
import Contracts
import Foundation
@testable import TestSupport
import Testing

/// The dataset catalog and reference lookups through the whole pipeline (real RabbitMQ and
/// PostgreSQL): admins keep the catalog, members run a tag-filtered part of it as one batch
/// with a job per dataset, unchanged inputs are skipped, analysis-only starts from the stored
/// input, a `datasets` schedule runs it too, and a plan joins the project's planning table to
/// count the assessments due by the run date.
@Suite("Dataset catalog (real pipeline)")
struct DatasetCatalogTests {
    static let planning = """
        course,item,due_date
        algebra,Midterm,2026-11-20
        algebra,Final,2026-12-18
        geometry,Midterm,2026-11-25
        physics,Lab,2026-11-02
        """

    static let plan = """
        {"name": "up to date", "steps": [
          {"op": "lookup", "table": "planning", "on": {"course": "course", "assessment": "item"}, "columns": ["due_date"]},
          {"op": "derive", "column": "due", "expression": "if(due_date <= run_date(), 1, 0)"}]}
        """

    static func gradebook(_ course: String, extra: String = "") -> String {
        "student,course,assessment,grade\nana,\(course),Midterm,8\nbo,\(course),Final,6\ncy,\(course),Oral,7\n\(extra)"
    }

    @Test("add, list, edit, remove and run the catalog; incremental skips; analysis-only; lookups by run date; a datasets schedule")
    func catalog() async throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("sluice-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for course in ["algebra", "geometry", "physics"] {
            try Data(Self.gradebook(course).utf8).write(to: directory.appendingPathComponent("\(course).csv"))
        }
        let world = try GatewayWorld(overrides: ["ingest.roots": directory.path])
        try await world.start()
        let pipeline = world.pipeline
        let admin = world.token("admin"), member = world.token("member-a")
        let adminCLI = pipeline.cliEnvironment(token: admin), memberCLI = pipeline.cliEnvironment(token: member)
        func cli(_ arguments: [String], _ env: [String: String]) async throws -> String {
            let result = try await SluiceCLI.run(arguments, environment: env)
            #expect(result.status == 0, "sluice \(arguments.joined(separator: " ")): \(result.output)")
            return result.output
        }

        // The planning table and the plan that joins it, stored for project alpha.
        let planningFile = directory.appendingPathComponent("planning.csv")
        try Data(Self.planning.utf8).write(to: planningFile)
        let stored = try await cli(["references", "put", "planning", planningFile.path, "--project", "alpha"], adminCLI)
        #expect(stored.contains("planning@1: 4 rows, columns course, item, due_date"), "\(stored)")
        let duplicate = try await pipeline.gateway("PUT", "/projects/alpha/references/bad", token: admin,
                                                   body: Array("a,a\n1,2\n".utf8), contentType: "text/csv")
        #expect(duplicate.status == 422 && String(decoding: duplicate.body, as: UTF8.self).contains("appears twice"))
        #expect(try await pipeline.gateway("PUT", "/projects/alpha/references/x", token: member, body: Array("a\n1\n".utf8)).status == 403)
        #expect(try await pipeline.gateway("GET", "/projects/beta/references/planning", token: admin).status == 404,
                "another project does not see alpha's table")
        #expect(try await pipeline.gateway("PUT", "/projects/alpha/plans/uptodate", token: admin, body: Array(Self.plan.utf8)).status == 201)

        // The catalog: admins add; members may not.
        for (course, category) in [("algebra", "Matematicas"), ("geometry", "Matematicas"), ("physics", "Ciencias")] {
            _ = try await cli(["datasets", "add", course, "--path", directory.appendingPathComponent("\(course).csv").path,
                               "--tag", "category=\(category)", "--tag", "course=\(course)", "--plan", "uptodate",
                               "--output", "csv", "--output", "results", "--project", "alpha"], adminCLI)
        }
        let refused = try await SluiceCLI.run(["datasets", "add", "x", "--url", "https://example.org/x.csv", "--project", "alpha"],
                                              environment: memberCLI)
        #expect(refused.status != 0, "\(refused.output)")
        let again = try await pipeline.gateway("POST", "/projects/alpha/datasets", token: admin, json: DatasetEntry(
            name: "algebra", source: .url("https://example.org/a.csv")))
        #expect(again.status == 409)
        let inline = try await pipeline.gateway("POST", "/projects/alpha/datasets", token: admin, json: DatasetEntry(
            name: "inline", source: .inline("a\n1\n")))
        #expect(inline.status == 400 && String(decoding: inline.body, as: UTF8.self).contains("fetched again at every run"))
        let listed = try await cli(["datasets", "list", "--tag", "category=Matematicas", "--project", "alpha"], memberCLI)
        #expect(listed.contains("algebra") && listed.contains("geometry") && !listed.contains("physics") && listed.contains("never run"),
                "\(listed)")

        // A member runs one category: one batch, a job per dataset, each joining planning@1 by its run date.
        func run(_ arguments: [String]) async throws -> DatasetRun {
            let output = try await cli(["datasets", "run", "--project", "alpha", "--json"] + arguments, memberCLI)
            return try JSONCoding.decode(DatasetRun.self, from: Array(output.utf8))
        }
        func finished(_ run: DatasetRun) async throws -> BatchDetail {
            let id = try #require(run.batch?.id)
            var detail: BatchDetail?
            let ended = try await TestEnvironment.eventually(timeout: .seconds(90)) {
                detail = try? await pipeline.gatewayJSON(BatchDetail.self, "GET", "/batches/\(id)", token: member)
                return detail.map { !["open", "running"].contains($0.batch.state) } ?? false
            }
            #expect(ended, "batch \(id) did not finish: \(String(describing: detail))")
            return try #require(detail)
        }
        func output(_ job: String) async throws -> String {
            String(decoding: try await pipeline.gateway("GET", "/jobs/\(job)/artifacts/output.csv", token: member).body, as: UTF8.self)
        }
        let first = try await run(["--tag", "category=Matematicas", "--run-date", "2026-12-01"])
        #expect(Set(first.jobs.map(\.dataset)) == ["algebra", "geometry"] && first.notRun.isEmpty)
        let firstDetail = try await finished(first)
        #expect(firstDetail.batch.state == "completed" && firstDetail.jobs.count == 2, "\(firstDetail)")
        #expect(firstDetail.jobs.allSatisfy { $0.tags["category"] == "Matematicas" && $0.tags["dataset"] != nil })
        let algebraJob = try #require(first.jobs.first { $0.dataset == "algebra" }?.job)
        let algebra = try await output(algebraJob)
        #expect(algebra.contains("student,course,assessment,grade,due_date,due"), "\(algebra)")
        #expect(algebra.contains("ana,algebra,Midterm,8,2026-11-20,1") && algebra.contains("bo,algebra,Final,6,2026-12-18,0")
                && algebra.contains("cy,algebra,Oral,7,,0"), "\(algebra)")
        let results = String(decoding: try await pipeline.gateway("GET", "/jobs/\(algebraJob)/artifacts/results.json", token: member).body,
                             as: UTF8.self)
        #expect(results.contains("planning@1") && results.contains("uptodate@1"), "results.json names the versions joined: \(results)")

        // The same inputs for the same day again are skipped; a changed input runs; so does an
        // unchanged one for another day (run_date() changes its output); --force runs anyway.
        let second = try await run(["--tag", "category=Matematicas", "--run-date", "2026-12-01"])
        let secondDetail = try await finished(second)
        #expect(secondDetail.jobs.map(\.state).sorted() == ["skipped", "skipped"], "\(secondDetail.jobs.map(\.state))")
        try Data(Self.gradebook("algebra", extra: "di,algebra,Final,9\n").utf8).write(to: directory.appendingPathComponent("algebra.csv"))
        let third = try await finished(try await run(["--tag", "category=Matematicas", "--run-date", "2026-12-01"]))
        let states = Dictionary(uniqueKeysWithValues: third.jobs.map { ($0.tags["dataset"] ?? "", $0.state) })
        #expect(states == ["algebra": "completed", "geometry": "skipped"], "\(states)")
        let nextDay = try await finished(try await run(["--tag", "category=Matematicas", "--run-date", "2026-12-20"]))
        #expect(nextDay.jobs.map(\.state) == ["completed", "completed"], "\(nextDay.jobs.map(\.state))")
        let changed = try await output(try #require(nextDay.jobs.first { $0.tags["dataset"] == "algebra" }?.id))
        #expect(changed.contains("bo,algebra,Final,6,2026-12-18,1") && changed.contains("di,algebra,Final,9,2026-12-18,1"),
                "run_date() is the run's day: \(changed)")
        let forced = try await finished(try await run(["--name", "geometry", "--force"]))
        #expect(forced.jobs.map(\.state) == ["completed"])

        // analysis-only starts from stored input: physics has none yet; after ingest-only it has.
        let nothing = try await SluiceCLI.run(["datasets", "run", "--project", "alpha", "--tag", "category=Ciencias",
                                               "--stages", "analysis-only"], environment: memberCLI)
        #expect(nothing.status != 0 && nothing.output.contains("no stored input yet"), "\(nothing.output)")
        // A new version of the planning table: jobs from now on join it.
        try Data((Self.planning + "\nphysics,Midterm,2026-10-15\n").utf8).write(to: planningFile)
        #expect(try await cli(["references", "put", "planning", planningFile.path, "--project", "alpha"], adminCLI).contains("planning@2"))
        let shownTable = try await cli(["references", "show", "planning@1", "--project", "alpha"], memberCLI)
        #expect(shownTable.hasPrefix("course,item,due_date\nalgebra,Midterm,2026-11-20\n") && !shownTable.contains("2026-10-15"),
                "\(shownTable)")
        let storedOnly = try await finished(try await run(["--name", "physics", "--stages", "ingest-only"]))
        #expect(storedOnly.jobs.map(\.state) == ["stored"], "\(storedOnly.jobs.map(\.state))")
        let analysis = try await run(["--name", "physics", "--stages", "analysis-only", "--run-date", "2026-11-01"])
        #expect(analysis.jobs.map(\.source) == ["job"])
        let analysed = try await finished(analysis)
        #expect(analysed.jobs.map(\.state) == ["completed"])
        #expect(try await output(analysed.jobs[0].id).contains("ana,physics,Midterm,8,2026-10-15,1"))
        // After ingest-only, a full run is not mistaken for a repeat; publish-only publishes the latest results again.
        let full = try await finished(try await run(["--name", "physics", "--run-date", "2026-11-01"]))
        #expect(full.jobs.map(\.state) == ["completed"], "\(full.jobs.map(\.state))")
        let republish = try await run(["--name", "physics", "--stages", "publish-only"])
        #expect(republish.jobs.map(\.source) == ["job"])
        let republished = try await finished(republish)
        #expect(republished.batch.state == "completed" && republished.jobs.map(\.state) == ["completed"],
                "\(republished.jobs.map(\.state))")
        // Another project's dataset key is refused: it would mix its jobs into alpha's catalog.
        let foreign = try await pipeline.gateway("POST", "/jobs", token: world.token("member-b"), json: JobSubmit(
            source: .inline("a\n1\n"), options: JobOptions(datasetKey: "alpha/physics"), project: "beta"))
        #expect(foreign.status == 400 && String(decoding: foreign.body, as: UTF8.self).contains("gateway.foreign-dataset-key"))
        let unknown = try await pipeline.gateway("POST", "/projects/alpha/dataset-runs", token: member,
                                                 json: DatasetRunRequest(tags: ["category": "Historia"]))
        #expect(unknown.status == 409 && String(decoding: unknown.body, as: UTF8.self).contains("gateway.no-datasets"))

        // Edit replaces tags with --tag, and a merge patch changes one field; remove takes it out.
        _ = try await cli(["datasets", "edit", "physics", "--tag", "category=Ciencias", "--tag", "course=fisica",
                           "--project", "alpha"], adminCLI)
        _ = try await cli(["datasets", "edit", "physics", "--patch", #"{"description": "Lab grades"}"#, "--project", "alpha"], adminCLI)
        let shown = try JSONCoding.decode(Dataset.self, from: Array(try await cli(["datasets", "show", "physics", "--project", "alpha"],
                                                                                  memberCLI).utf8))
        #expect(shown.entry.tags == ["category": "Ciencias", "course": "fisica"] && shown.entry.description == "Lab grades")
        #expect(shown.key == "alpha/physics" && shown.lastJob?.state == "completed" && shown.updatedBy == "admin")
        let renamed = try await pipeline.gateway("PATCH", "/projects/alpha/datasets/physics", token: admin,
                                                 body: Array(#"{"name": "fisica"}"#.utf8))
        #expect(renamed.status == 400)
        #expect(try await pipeline.gateway("PATCH", "/projects/alpha/datasets/physics", token: member,
                                           body: Array(#"{"description": "x"}"#.utf8)).status == 403)
        _ = try await cli(["datasets", "remove", "geometry", "--project", "alpha"], adminCLI)
        #expect(try await pipeline.gateway("GET", "/projects/alpha/datasets/geometry", token: admin).status == 404)

        // A datasets schedule runs the catalog part as one batch, its jobs running for the fire's day.
        _ = try await cli(["schedules", "add", "catalog-\(pipeline.prefix)", "--cron", "0 2 * * *", "--zone", "Europe/Madrid",
                           "--project", "alpha", "--action", "datasets", "--tag", "category=Ciencias", "--stages", "analysis-only"],
                          adminCLI)
        let sent = try await cli(["schedules", "run", "catalog-\(pipeline.prefix)"], memberCLI)
        #expect(sent.contains("sent rerun.requested"), "\(sent)")
        var scheduled: Batch?
        let ran = try await TestEnvironment.eventually(timeout: .seconds(90)) {
            let batches = try? await pipeline.gatewayJSON([Batch].self, "GET", "/batches?project=alpha&limit=100", token: member)
            scheduled = batches?.first { $0.submitter == "schedule:catalog-\(pipeline.prefix)" }
            return scheduled.map { $0.state == "completed" } ?? false
        }
        #expect(ran && scheduled?.jobs == 1, "\(String(describing: scheduled))")

        // A backfill of two past days: a batch each, its job running for that day (the physics
        // midterm is due on 15 October: not yet on the 14th, due on the 15th).
        let backfilled = try await cli(["schedules", "backfill", "catalog-\(pipeline.prefix)", "--from", "2026-10-14T00:00",
                                        "--to", "2026-10-16T00:00"], memberCLI)
        #expect(backfilled.components(separatedBy: "bat-").count == 3, "\(backfilled)")
        var byDay: [Batch] = []
        let both = try await TestEnvironment.eventually(timeout: .seconds(90)) {
            let batches = try? await pipeline.gatewayJSON([Batch].self, "GET", "/batches?project=alpha&limit=100", token: member)
            byDay = batches?.filter { $0.submitter == "schedule:catalog-\(pipeline.prefix)" && $0.id != scheduled?.id } ?? []
            return byDay.count == 2 && byDay.allSatisfy { $0.state == "completed" }
        }
        #expect(both && byDay.allSatisfy { $0.jobs == 1 }, "\(byDay)")
        var midterms: Set<String> = []
        for batch in byDay {
            let detail = try await pipeline.gatewayJSON(BatchDetail.self, "GET", "/batches/\(batch.id)", token: member)
            for job in detail.jobs {
                midterms.formUnion(try await output(job.id).split(separator: "\n").filter { $0.hasPrefix("ana,") }.map(String.init))
            }
        }
        #expect(midterms == ["ana,physics,Midterm,8,2026-10-15,0", "ana,physics,Midterm,8,2026-10-15,1"], "\(midterms)")

        // A selection that matches nothing still makes its batch, empty and finished, so the
        // schedule that sent it sees its end.
        _ = try await cli(["schedules", "add", "nothing-\(pipeline.prefix)", "--cron", "0 3 * * *", "--project", "alpha",
                           "--action", "datasets", "--tag", "category=Nada"], adminCLI)
        _ = try await cli(["schedules", "run", "nothing-\(pipeline.prefix)"], memberCLI)
        var empty: Batch?
        _ = try await TestEnvironment.eventually(timeout: .seconds(60)) {
            let batches = try? await pipeline.gatewayJSON([Batch].self, "GET", "/batches?project=alpha&limit=100", token: member)
            empty = batches?.first { $0.submitter == "schedule:nothing-\(pipeline.prefix)" }
            return empty?.finishedAt != nil
        }
        #expect(empty?.jobs == 0 && empty?.state == "completed", "\(String(describing: empty))")

        // The scheduler's cancelRunning policy cancels a batch with a batch-scope control: the
        // gateway closes and cancels it as an operator's cancel would.
        let open = try await pipeline.gatewayJSON(Batch.self, "POST", "/batches", token: member,
                                                  json: NewBatch(name: "held open", project: "alpha"))
        try await pipeline.publish(Envelope(id: "schedule/x/1/cancel/\(open.id)", jobId: nil, correlationId: "batch/\(open.id)",
                                            causationId: nil, producer: "scheduler", project: "alpha",
                                            payload: JobControl(action: .cancel, scope: .batch, target: open.id,
                                                                requestedBy: "scheduler", note: "overlap")))
        let stopped = try await TestEnvironment.eventually(timeout: .seconds(60)) {
            (try? await pipeline.gatewayJSON(BatchDetail.self, "GET", "/batches/\(open.id)", token: member))?.batch.state == "cancelled"
        }
        #expect(stopped, "a batch-scope cancel from the scheduler cancels the batch")
        // One that comes before its fire's request was handled makes the batch, cancelled; the
        // request then runs nothing.
        let requestId = "schedule/early-\(pipeline.prefix)/1"
        let early = RerunRequested.batchId(ofRequest: requestId)
        try await pipeline.publish(Envelope(id: "schedule/early/1/cancel/\(early)", jobId: nil, correlationId: "batch/\(early)",
                                            causationId: nil, producer: "scheduler", project: "alpha",
                                            payload: JobControl(action: .cancel, scope: .batch, target: early,
                                                                requestedBy: "scheduler", note: "overlap")))
        #expect(try await TestEnvironment.eventually(timeout: .seconds(60)) {
            (try? await pipeline.gatewayJSON(BatchDetail.self, "GET", "/batches/\(early)", token: member))?.batch.state == "cancelled"
        }, "the batch is made, cancelled")
        try await pipeline.publish(Envelope(id: requestId, jobId: nil, correlationId: requestId, causationId: nil, producer: "scheduler",
                                            project: "alpha", payload: RerunRequested(
                                                project: "alpha", tags: ["category": "Ciencias"], stages: .analysisOnly,
                                                requestedBy: "schedule:early", catalog: true)))
        let handled = try await TestEnvironment.eventually(timeout: .seconds(60)) {
            try await TestEnvironment.withDatabase(TestEnvironment.adminDatabase(
                schema: TestEnvironment.schema("gateway", prefix: pipeline.prefix))) { database in
                for try await _ in try await database.client.query("SELECT 1 FROM inbox WHERE message_id = \(requestId)",
                                                                    logger: TestEnvironment.logger) { return true }
                return false
            }
        }
        #expect(handled, "the gateway handled the request")
        let after = try await pipeline.gatewayJSON(BatchDetail.self, "GET", "/batches/\(early)", token: member)
        #expect(after.jobs.isEmpty && after.batch.state == "cancelled", "\(after)")
        await world.stop()
    }
}
