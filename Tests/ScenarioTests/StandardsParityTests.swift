import Contracts
import Foundation
@testable import TestSupport
import Testing

/// Sluice against frictionless-py on the same file and schema: the same record errors,
/// untrimmed cells when the job keeps them, and primary keys by frictionless' rule (the
/// first row holding a value keeps it, valid or not, whatever the plan later deletes).
@Suite("Standards parity with frictionless (real RabbitMQ and PostgreSQL)")
struct StandardsParityTests {
    let env = TestEnvironment.self

    static let csv = """
        id,name,grade,town
        1,Ada,90,Epsom  \n2,Bob,x,Leeds
        2,Cid,70,Leeds
        3,Dee,80,Leeds
        3,Eve,y,Leeds
        4,Fay,10,Leeds
        4,Gus,60,Leeds
        """ + "\n"

    static let schema = """
        {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"},
                    {"name": "grade", "type": "integer"},
                    {"name": "town", "type": "string", "constraints": {"enum": ["Epsom  ", "Leeds"]}}],
         "primaryKey": ["id"]}
        """

    @Test("keys checked on every input row before the plan, untrimmed cells kept: the errors frictionless reports")
    func sameErrorsAsFrictionless() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.start()
        let plan = try ProcessingPlan.parse(text: #"{"name": "drop low", "steps": [{"op": "filter", "delete": {"column": "grade", "operator": "<", "value": 20}}]}"#)
        let schema = try JSONCoding.decode(TableSchema.self, from: Array(Self.schema.utf8))
        let id = "job-parity-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(JobSubmit(
            jobId: id, idempotencyKey: id, name: "parity.csv", source: .inline(Self.csv), chunkSize: 3, schema: schema, plan: plan,
            options: JobOptions(outputs: [.csv, .validation], standardize: Standardize(trimCells: false))))
        #expect(try await pipeline.waitForEnd(id).state == "published")
        let output = String(decoding: try await pipeline.artifact(id, "output.csv"), as: UTF8.self)
        #expect(output == "id,name,grade,town\n1,Ada,90,Epsom  \n3,Dee,80,Leeds\n",
                "Cid repeats the id of the invalid Bob, Gus that of Fay whom the plan deleted: both left out")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(Self.csv.utf8).write(to: directory.appendingPathComponent("data.csv"))
        try Data(Self.schema.utf8).write(to: directory.appendingPathComponent("schema.json"))
        try Data(try await pipeline.artifact(id, "validation.csv")).write(to: directory.appendingPathComponent("sluice.csv"))
        let result = try Python.run("""
            import csv, json, os, sys
            from frictionless import Resource, Schema, validate
            os.chdir(sys.argv[1])  # frictionless refuses absolute paths outside its base path
            report = validate(Resource(path="data.csv", schema=Schema.from_descriptor("schema.json")))
            theirs = sorted({(row, kind) for row, kind in report.flatten(["rowNumber", "type"]) if row})
            ours = sorted({(int(r["row"]), r["code"]) for r in csv.DictReader(open("sluice.csv"))})
            print(json.dumps({"frictionless": theirs, "sluice": ours}))
            """, [directory.path])
        #expect(result.status == 0, "\(result.stderr)")
        let sets = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [[Any]]])
        let frictionless = (sets["frictionless"] ?? []).map { "\($0[0]) \($0[1])" }
        let sluice = (sets["sluice"] ?? []).map { "\($0[0]) \($0[1])" }
        #expect(sluice == frictionless)
        #expect(frictionless == ["3 type-error", "4 primary-key", "6 primary-key", "6 type-error", "8 primary-key"])
        await pipeline.stopAll()
    }
}
