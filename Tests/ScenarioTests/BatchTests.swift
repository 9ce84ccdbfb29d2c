import APIModels
import Contracts
import Foundation
@testable import TestSupport
import Testing

/// Batches through the gateway on a real broker and database: aggregate progress and
/// statistics, the end detected when the last job ends, the callback through notify, control
/// of all their jobs, and the CLI.
@Suite("Batches (real RabbitMQ and PostgreSQL)", .serialized)
struct BatchTests {
    static func rows(_ count: Int) -> String {
        "student,grade\n" + (0..<count).map { "s\($0),\($0 % 10)" }.joined(separator: "\n") + "\n"
    }

    @Test("a batch of five jobs, one failing: aggregates, success rate 80%, state failed, and its webhook told once")
    func aggregatesAndCallback() async throws {
        let hook = WebhookReceiver()
        let url = try await hook.start()
        let world = try GatewayWorld()
        try await world.start()
        let pipeline = world.pipeline
        let member = world.token("member-a")
        let schema = TableSchema(fields: [.init(name: "student", type: "string"), .init(name: "grade", type: "integer"),
                                          .init(name: "course", type: "string", constraints: .init(required: true))])
        var jobs = (0..<4).map { JobSubmit(name: "sheet-\($0)", source: .inline(Self.rows(20)), format: "csv") }
        jobs.append(JobSubmit(name: "broken", source: .inline(Self.rows(5)), format: "csv", schema: schema))
        let created = try await pipeline.gateway("POST", "/batches", token: member, json: NewBatch(
            name: "december sheets", notify: NotifySpec(webhooks: [url]), jobs: jobs))
        #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
        let batch = try JSONCoding.decoder().decode(Batch.self, from: Data(created.body))
        #expect(batch.project == "alpha" && batch.jobs == 5 && batch.state == "running")
        let ended = try await TestEnvironment.eventually(timeout: .seconds(90)) {
            try await pipeline.gatewayJSON(BatchDetail.self, "GET", "/batches/\(batch.id)", token: member).batch.state == "failed"
        }
        #expect(ended)
        let detail = try await pipeline.gatewayJSON(BatchDetail.self, "GET", "/batches/\(batch.id)", token: member)
        #expect(detail.batch.byState == ["completed": 4, "failed": 1], "\(detail.batch.byState)")
        #expect(detail.batch.successRate == 0.8 && detail.batch.rowsValid == 80 && detail.batch.finishedAt != nil)
        #expect(detail.jobs.map(\.name) == ["sheet-0", "sheet-1", "sheet-2", "sheet-3", "broken"])
        _ = try await TestEnvironment.eventually(timeout: .seconds(30)) { !hook.bodies.isEmpty }
        try await Task.sleep(for: .seconds(1))
        #expect(hook.bodies.count == 1, "told once")
        let notice = try #require(try JSONSerialization.jsonObject(with: Data(hook.bodies[0])) as? [String: Any])
        #expect(notice["event"] as? String == "batch.finished" && notice["state"] as? String == "failed")
        #expect(notice["successRate"] as? Double == 0.8 && notice["completed"] as? Int == 4 && notice["jobs"] as? Int == 5)
        // Listing, and the tenancy boundary.
        let listed = try await pipeline.gatewayJSON([Batch].self, "GET", "/batches?project=alpha&state=failed", token: member)
        #expect(listed.map(\.id) == [batch.id])
        #expect(try await pipeline.gateway("GET", "/batches/\(batch.id)", token: world.token("member-b")).status == 404)
        #expect(try await pipeline.gateway("POST", "/batches/\(batch.id)/cancel", token: world.token("viewer-a")).status == 403)
        hook.stop()
        await pipeline.stopAll()
    }

    @Test("an open batch: jobs join, a closed batch refuses them, cancel ends it as cancelled; the CLI submits files as a batch")
    func openBatchControlAndCLI() async throws {
        let world = try GatewayWorld()
        try await world.start()
        let pipeline = world.pipeline
        let member = world.token("member-a")
        let open = try await pipeline.gatewayJSON(Batch.self, "POST", "/batches", token: member, json: NewBatch(name: "slow ones"))
        #expect(open.state == "open")
        var ids: [String] = []
        for index in 0..<3 {
            let job = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: member, json: JobSubmit(
                name: "slow-\(index)", source: .inline(Self.rows(20_000)), format: "csv", chunkSize: 100, batch: open.id))
            ids.append(job.id)
        }
        let closed = try await pipeline.gatewayJSON(Batch.self, "POST", "/batches/\(open.id)/close", token: member)
        #expect(closed.state == "running" && closed.jobs == 3)
        let late = try await pipeline.gateway("POST", "/jobs", token: member, json: JobSubmit(
            name: "late", source: .inline(Self.rows(2)), format: "csv", batch: open.id))
        #expect(late.status == 409, "a closed batch takes no more jobs")
        let cancelled = try await pipeline.gatewayJSON(Batch.self, "POST", "/batches/\(open.id)/cancel", token: member)
        let finished = try await TestEnvironment.eventually(timeout: .seconds(30)) {
            try await pipeline.gatewayJSON(BatchDetail.self, "GET", "/batches/\(open.id)", token: member).batch.state == "cancelled"
        }
        #expect(finished, "\(cancelled)")
        // The CLI: two files, one batch, waited for.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        for name in ["a.csv", "b.csv"] {
            let file = directory.appendingPathComponent(name)
            try Data(Self.rows(10).utf8).write(to: file)
            files.append(file.path)
        }
        let cli = try await SluiceCLI.run(["batches", "submit"] + files + ["--name", "two files", "--wait"],
                                          environment: pipeline.cliEnvironment(token: member))
        #expect(cli.status == 0, "\(cli.output)")
        let batchId = cli.output.split(separator: "\n").first.map(String.init) ?? ""
        let detail = try await pipeline.gatewayJSON(BatchDetail.self, "GET", "/batches/\(batchId)", token: member)
        #expect(detail.batch.state == "completed" && Set(detail.jobs.map(\.name)) == ["a.csv", "b.csv"])
        let list = try await SluiceCLI.run(["batches", "list"], environment: pipeline.cliEnvironment(token: member))
        #expect(list.output.contains(batchId) && list.output.contains("100%"), "\(list.output)")
        await pipeline.stopAll()
    }
}
