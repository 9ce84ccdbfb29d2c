import Contracts
import Foundation
import Hummingbird
import Outbound
import Plans
import Tabular
@testable import TestSupport
import Testing
import Toolkit

/// Issue 3's pipeline end to end on real RabbitMQ and PostgreSQL: formats and sources,
/// Table Schema validation, plans, outputs, policies and stage modes.
@Suite("Pipeline features (real RabbitMQ and PostgreSQL)")
struct PipelineFeatureTests {
    let env = TestEnvironment.self
    static var fixtures: URL { TestEnvironment.packageRoot.appendingPathComponent("Tests/UnitTests/Fixtures/formats") }
    static var gradebook: URL { TestEnvironment.packageRoot.appendingPathComponent("examples/gradebook") }

    static func id(_ base: String) -> String { "job-\(base)-\(UUID().uuidString.lowercased().prefix(12))" }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func upload(_ pipeline: TestPipeline, _ file: URL) async throws -> String {
        let result = try await pipeline.send("ingest", "/uploads?filename=\(file.lastPathComponent)",
                                             [UInt8](try Data(contentsOf: file)), contentType: "application/octet-stream")
        #expect(result.status == 201, "upload: \(text(result.body))")
        struct Receipt: Decodable { var uploadId: String }
        return try JSONCoding.decoder().decode(Receipt.self, from: Data(result.body)).uploadId
    }

    @Test("JSON Lines, JSON arrays, text lists, TSV, an uploaded XLSX and an uploaded Windows-1252 CSV all flow through")
    func formats() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.start()
        var jobs: [(String, JobSubmit.Source, String?, JobOptions?)] = [
            (Self.id("jsonl"), .inline("{\"id\": 1, \"name\": \"a\"}\n{\"id\": 2, \"name\": \"b\", \"extra\": true}\n"), "jsonl", nil),
            (Self.id("json"), .inline("[{\"id\": 1, \"tags\": [1, 2]}, {\"id\": 2, \"tags\": null}]"), nil, nil),
            (Self.id("text"), .inline("A-001\nA-002\n\nA-003\n"), "text", JobOptions(textColumn: "code")),
            (Self.id("tsv"), .inline("a\tb\n1\tx y\n"), "tsv", nil),
        ]
        jobs.append((Self.id("xlsx"), .upload(try await Self.upload(pipeline, Self.fixtures.appendingPathComponent("grades.xlsx"))),
                     nil, nil))
        jobs.append((Self.id("latin1"), .upload(try await Self.upload(pipeline, Self.fixtures.appendingPathComponent("latin1.csv"))),
                     nil, nil))
        jobs.append((Self.id("utf16"), .upload(try await Self.upload(pipeline, Self.fixtures.appendingPathComponent("utf16le.txt"))),
                     "tsv", nil))
        for (id, source, format, options) in jobs {
            try await pipeline.submit(JobSubmit(jobId: id, idempotencyKey: id, source: source, format: format, options: options))
        }
        for (id, _, _, _) in jobs {
            let end = try await pipeline.waitForEnd(id)
            #expect(end.state == "published", "\(id): \(end.failureReason ?? "")")
        }
        // A key the first object lacks is an extra cell: the record is reported, not silently widened.
        #expect(Self.text(try await pipeline.artifact(jobs[0].0, "output.csv")) == "id,name\n1,a\n")
        let jsonlErrors = Self.text(try await pipeline.artifact(jobs[0].0, "validation.csv"))
        #expect(jsonlErrors.contains("extra-cell"))
        #expect(Self.text(try await pipeline.artifact(jobs[1].0, "output.csv")) == "id,tags\n1,\"[1,2]\"\n2,\n")
        #expect(Self.text(try await pipeline.artifact(jobs[2].0, "output.csv")) == "code\nA-001\nA-002\nA-003\n")
        #expect(Self.text(try await pipeline.artifact(jobs[3].0, "output.csv")) == "a,b\n1,x y\n")
        let xlsx = Self.text(try await pipeline.artifact(jobs[4].0, "output.csv"))
        #expect(xlsx.split(separator: "\n").count > 2, "the XLSX sheet has rows: \(xlsx)")
        let latin = Self.text(try await pipeline.artifact(jobs[5].0, "output.csv"))
        #expect(latin.contains("é") && latin.contains("€"), "decoded as Windows-1252: \(latin)")
        let results = Self.text(try await pipeline.artifact(jobs[5].0, "results.json"))
        #expect(results.contains("windows-1252") && results.contains("not valid UTF-8"))
        #expect(Self.text(try await pipeline.artifact(jobs[6].0, "output.csv")) == "name,city\nJosé,Zürich\n😀,東京\n")
        await pipeline.stopAll()
    }

    static let plan = """
        name: gradebook-cleanup
        steps:
          - {op: rename, columns: {grade: score}}
          - {op: derive, column: passed, expression: "score >= 90"}
          - {op: filter, delete: {all: [{column: course, operator: "=", value: Physics}, {column: score, operator: "<", value: 90}]}}
          - {op: case, columns: [course], to: upper}
          - {op: dedupe, columns: [course, passed]}
          - {op: append, records: [{student_id: TOTAL, name: Summary row}]}
          - {op: note, text: Check S011 by hand}
        """

    @Test("a YAML plan with a schema: filter, derive, dedupe across the job, append, notes; every output; dry-run; policy")
    func plansAndOutputs() async throws {
        let pipeline = try TestPipeline(overrides: ["ingest.roots": TestEnvironment.packageRoot.path])
        try await pipeline.start()
        let schema = try JSONCoding.decode(TableSchema.self, from: [UInt8](try Data(contentsOf: Self.gradebook.appendingPathComponent("schema.json"))))
        let plan = try ProcessingPlan.parse(text: Self.plan)
        let source = JobSubmit.Source.path(Self.gradebook.appendingPathComponent("gradebook.csv").path)
        let full = Self.id("plan")
        try await pipeline.submit(JobSubmit(jobId: full, idempotencyKey: full, source: source, chunkSize: 3,
            tags: ["department": "science"], schema: schema,
            plan: plan, options: JobOptions(outputs: JobOptions.Output.allCases,
                aggregates: [AggregateSpec(title: "By department", groupBy: ["tag:department"],
                                           metrics: [MetricSpec(name: "rows", fn: .count)]),
                             AggregateSpec(title: "By course", groupBy: ["course"],
                                           metrics: [MetricSpec(name: "avg_score", fn: .mean, column: "score"),
                                                     MetricSpec(name: "pass_rate", fn: .rate, column: "passed")])])))
        let end = try await pipeline.waitForEnd(full)
        #expect(end.state == "published", "\(end.failureReason ?? "")")
        let csv = Self.text(try await pipeline.artifact(full, "output.csv"))
        #expect(csv == """
            student_id,name,course,score,attendance,passed
            S001,Ada Lovelace,MATHEMATICS,95,0.98,true
            S002,Alan Turing,MATHEMATICS,88.5,0.91,false
            S003,Grace Hopper,COMPUTER SCIENCE,91,1,true
            S006,Katherine Johnson,PHYSICS,99,0.99,true
            TOTAL,Summary row,,,,

            """, "\(csv)")
        let results = try JSONSerialization.jsonObject(with: Data(try await pipeline.artifact(full, "results.json"))) as? [String: Any]
        let totals = results?["totals"] as? [String: Any]
        #expect(totals?["filtered"] as? Int == 1 && totals?["deduplicated"] as? Int == 3 && totals?["appended"] as? Int == 1)
        #expect((results?["notes"] as? [String]) == ["Check S011 by hand"])
        let jsonl = Self.text(try await pipeline.artifact(full, "output.jsonl"))
        #expect(jsonl.hasPrefix("{\"student_id\":\"S001\",\"name\":\"Ada Lovelace\",\"course\":\"MATHEMATICS\",\"score\":95"))
        let summary = Self.text(try await pipeline.artifact(full, "summary.json"))
        #expect(summary.contains("\"avg_score\"") && summary.contains("By course") && summary.contains("p90"))
        #expect(summary.contains("By department") && summary.contains("\"science\""))
        let pdf = try await pipeline.artifact(full, "report.pdf")
        let pdfText = try Self.pdfText(pdf)
        #expect(pdfText.contains("gradebook") && pdfText.contains("Success rate") && pdfText.contains("By course"), "\(pdfText.prefix(400))")
        let xlsx = try await pipeline.artifact(full, "output.xlsx")
        let sheet = try Self.xlsxCells(xlsx)
        #expect(sheet.hasPrefix("student_id|name|course|score|attendance|passed\nS001|Ada Lovelace|MATHEMATICS|95|0.98|True"), "\(sheet)")
        // Dry run: reports, no dataset.
        let dry = Self.id("dry")
        try await pipeline.submit(JobSubmit(jobId: dry, idempotencyKey: dry, source: source, schema: schema,
                                            options: JobOptions(dryRun: true)))
        #expect(try await pipeline.waitForEnd(dry).state == "published")
        let listing = try await pipeline.getJSON(ArtifactListing.self, "publish", "/jobs/\(dry)/artifacts")
        #expect(!listing.artifacts.map(\.name).contains("output.csv") && listing.artifacts.map(\.name).contains("validation.csv"))
        // Policy: 4 of 12 invalid is more than 10%.
        let strict = Self.id("strict")
        try await pipeline.submit(JobSubmit(jobId: strict, idempotencyKey: strict, source: source, schema: schema,
            options: JobOptions(invalidRows: InvalidRowPolicy(action: .fail, maxInvalidShare: 0.1))))
        let failed = try await pipeline.waitForEnd(strict)
        #expect(failed.state == "failed" && failed.failureReason?.contains("publish.too-many-invalid") == true)
        await pipeline.stopAll()
    }

    struct ArtifactListing: Decodable { var artifacts: [ArtifactRef] }

    @Test("stored, versioned schemas and plans by name; a bad plan fails the job with its position before any row")
    func storedDefinitions() async throws {
        let pipeline = try TestPipeline(overrides: ["ingest.roots": TestEnvironment.packageRoot.path])
        try await pipeline.start()
        let schemaBody = [UInt8](try Data(contentsOf: Self.gradebook.appendingPathComponent("schema.json")))
        #expect(try await pipeline.send("validate", "/schemas/grades", schemaBody, method: "PUT").status == 201)
        let bad = try await pipeline.send("validate", "/schemas/broken", Array(#"{"fields": [{"name": "a", "type": "nope"}]}"#.utf8), method: "PUT")
        #expect(bad.status == 422 && Self.text(bad.body).contains("validate.invalid-schema"))
        #expect(try await pipeline.send("transform", "/plans/cleanup", Array(Self.plan.utf8), method: "PUT").status == 201)
        let v2 = try await pipeline.send("transform", "/plans/cleanup", Array(#"{"name": "cleanup", "steps": [{"op": "drop", "columns": ["attendance"]}]}"#.utf8), method: "PUT")
        #expect(v2.status == 201 && Self.text(v2.body).contains("\"version\" : 2"))
        let source = JobSubmit.Source.path(Self.gradebook.appendingPathComponent("gradebook.csv").path)
        let named = Self.id("named")
        try await pipeline.submit(JobSubmit(jobId: named, idempotencyKey: named, source: source, schemaName: "grades",
                                            planName: "cleanup@1"))
        #expect(try await pipeline.waitForEnd(named).state == "published")
        let results = Self.text(try await pipeline.artifact(named, "results.json"))
        #expect(results.contains("grades@1") && results.contains("cleanup@1"))
        let broken = Self.id("badplan")
        let badPlan = ProcessingPlan(name: "bad", steps: [.derive(DeriveStep(column: "x", expression: "grade * nope"))])
        try await pipeline.submit(JobSubmit(jobId: broken, idempotencyKey: broken, source: source, plan: badPlan))
        let end = try await pipeline.waitForEnd(broken)
        #expect(end.state == "failed" && end.failureReason?.contains("plan.unknown-column") == true
                && end.failureReason?.contains("position 9") == true, "\(end.failureReason ?? "")")
        #expect((end.chunksIngested) == 0, "the plan failed before any chunk was published")
        await pipeline.stopAll()
    }

    @Test("primary keys are unique across the whole job: duplicates in other chunks are reported, first wins")
    func jobWideKeys() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.start()
        let schema = TableSchema(fields: [.init(name: "id", type: "integer"), .init(name: "v")], primaryKey: ["id"])
        let id = Self.id("keys")
        try await pipeline.submit(JobSubmit(jobId: id, idempotencyKey: id, source: .inline("id,v\n1,a\n2,b\n3,c\n1,d\n2,e\n4,f\n"),
                                            chunkSize: 2, schema: schema))
        let end = try await pipeline.waitForEnd(id)
        #expect(end.state == "published" && end.rowsValid == 4 && end.rowsInvalid == 2)
        #expect(Self.text(try await pipeline.artifact(id, "output.csv")) == "id,v\n1,a\n2,b\n3,c\n4,f\n")
        // A header-only file is still checked against the schema and run through the plan.
        let headerOnly = Self.id("header-only")
        try await pipeline.submit(JobSubmit(jobId: headerOnly, idempotencyKey: headerOnly, source: .inline("id,x\n"),
                                            schema: schema))
        let failed = try await pipeline.waitForEnd(headerOnly)
        #expect(failed.state == "failed" && failed.failureReason?.contains("validate.missing-column") == true)
        let planned = Self.id("header-plan")
        try await pipeline.submit(JobSubmit(jobId: planned, idempotencyKey: planned, source: .inline("id,v\n"), schema: schema,
            plan: ProcessingPlan(name: "p", steps: [.rename(columns: ["v": "value"]),
                                                   .append(records: [["id": 9, "value": "added"]])])))
        #expect(try await pipeline.waitForEnd(planned).state == "published")
        #expect(Self.text(try await pipeline.artifact(planned, "output.csv")) == "id,value\n9,added\n")
        let errors = Self.text(try await pipeline.artifact(id, "validation.csv"))
        #expect(errors.contains("5,,primary-key") && errors.contains("6,,primary-key"), "\(errors)")
        await pipeline.stopAll()
    }

    static func pdfText(_ pdf: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-\(UUID().uuidString).pdf").path
        try Data(pdf).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try run("/usr/bin/pdftotext", [path, "-"])
    }

    static func xlsxCells(_ xlsx: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-\(UUID().uuidString).xlsx").path
        try Data(xlsx).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let script = "import openpyxl,sys\nws=openpyxl.load_workbook(sys.argv[1]).worksheets[0]\n"
            + "print('\\n'.join('|'.join('' if c is None else str(c) for c in r) for r in ws.iter_rows(values_only=True)))"
        return try run("/usr/bin/env", ["python3", "-c", script, path])
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-out-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        process.standardOutput = try FileHandle(forWritingTo: out)
        try process.run()
        while process.isRunning { usleep(20_000) }
        #expect(process.terminationStatus == 0, "\(executable) \(arguments) failed")
        return String(decoding: try Data(contentsOf: out), as: UTF8.self)
    }
}
