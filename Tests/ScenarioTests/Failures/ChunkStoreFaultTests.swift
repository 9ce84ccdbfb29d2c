import APIModels
import Chunks
import Contracts
import Foundation
import IncidentService
@testable import TestSupport
import Testing

/// A chunk that is gone from the store or no longer the one that was written: the message
/// naming it is dead-lettered as a permanent failure with one incident naming the key, the
/// job stalls, and once the object is restored a re-drive completes the job with the same
/// outputs as a fault-free run.
@Suite("Chunk store faults (real RabbitMQ and PostgreSQL)")
struct ChunkStoreFaultTests {
    let env = TestEnvironment.self
    /// These tests look at (or break) chunk objects, so no chunk travels inline.
    static let stored = ["chunks.inline.bytes": "0"]

    @Test("a missing or damaged chunk: one incident naming the key; restored and re-driven, the job completes",
          arguments: [("validate", "chunk.missing"), ("validate", "chunk.checksum-mismatch"), ("publish", "chunk.missing")])
    func missingOrDamagedChunk(reader: String, fault: String) async throws {
        let pipeline = try TestPipeline(overrides: Self.stored)
        try await pipeline.start(TestPipeline.all.filter { $0 != reader })
        let content = FaultTests.csv(rows: 30)
        func job(_ id: String) -> JobSubmit {
            JobSubmit(jobId: id, idempotencyKey: id, name: "chunks.csv", source: .inline(content), chunkSize: 10)
        }
        let faulty = "job-chunk-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(job(faulty))
        // Every chunk is stored for the stage that reads it, which is not running yet.
        let stored = try await env.eventually(timeout: .seconds(60)) {
            let progress = try await pipeline.progress(faulty)
            return reader == "validate" ? progress?.chunksTotal == 3 : progress?.chunksTransformed == 3
        }
        #expect(stored)
        let key = ChunkStore.key(jobId: faulty, stage: reader == "validate" ? .ingested : .transformed, index: 1)
        let path = env.objectRoot + "/" + key
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        if fault == "chunk.missing" {
            try FileManager.default.removeItem(atPath: path)
        } else {
            var damaged = original
            damaged[damaged.count / 2] ^= 0xFF
            try damaged.write(to: URL(fileURLWithPath: path))
        }
        try await pipeline.start([reader])

        var incidents: [Incident] = []
        _ = try await env.eventually(timeout: .seconds(60), every: .milliseconds(200)) {
            incidents = try await pipeline.getJSON([Incident].self, "incident", "/incidents")
            return !incidents.isEmpty
        }
        let incident = try #require(incidents.first, "no incident for the \(fault)")
        #expect(incidents.count == 1 && incident.count == 1 && incident.service == reader)
        #expect(incident.errorType == fault)
        #expect(incident.sampleError.contains(key), "the incident names the key: \(incident.sampleError)")
        let stalled = try await env.eventually { try await pipeline.progress(faulty)?.state == "stalled" }
        #expect(stalled)
        if reader == "validate" {
            let othersWentOn = try await env.eventually { try await pipeline.progress(faulty)?.chunksValidated == 2 }
            #expect(othersWentOn, "the other chunks went on")
        }

        // The operator restores the object and re-drives: the job completes.
        try original.write(to: URL(fileURLWithPath: path))
        let plan = try await pipeline.call(RedrivePlan.self, "incident", "/incidents/\(incident.id)/redrive", RedriveRequest())
        #expect(plan.redrive != nil)
        let end = try await pipeline.waitForEnd(faulty, timeout: .seconds(90))
        #expect(end.state == "published")

        let clean = "job-chunk-clean-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(job(clean))
        #expect(try await pipeline.waitForEnd(clean, timeout: .seconds(60)).state == "published")
        #expect(try await pipeline.artifact(faulty, "output.csv") == (try await pipeline.artifact(clean, "output.csv")))
        await pipeline.stopAll()
    }

    @Test("a store that cannot be written is a transient failure: retried until it can, nothing lost or half-written")
    func unwritableStore() async throws {
        let pipeline = try TestPipeline(overrides: Self.stored.merging(["retry.initial.ms": "300", "retry.max.ms": "1000",
                                                                         "retry.attempts": "20"]) { $1 })
        try await pipeline.start()
        let content = FaultTests.csv(rows: 30)
        let faulty = "job-store-\(UUID().uuidString.lowercased())"
        // A file where the job's directory must go: every write of the job fails until it is gone.
        let blocker = env.objectRoot + "/" + String(ChunkStore.jobPrefix(faulty).dropLast())
        try FileManager.default.createDirectory(atPath: env.objectRoot + "/jobs", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data("not a directory".utf8)))
        try await pipeline.submit(JobSubmit(jobId: faulty, idempotencyKey: faulty, name: "store.csv", source: .inline(content),
                                            chunkSize: 10))
        try await Task.sleep(for: .seconds(2))
        #expect(try await pipeline.progress(faulty)?.chunksTotal == nil, "nothing is announced while the store refuses it")
        #expect(try await pipeline.getJSON([Incident].self, "incident", "/incidents").isEmpty, "a transient failure, still retried")
        try FileManager.default.removeItem(atPath: blocker)
        let end = try await pipeline.waitForEnd(faulty, timeout: .seconds(90))
        #expect(end.state == "published" && end.rowsValid == 30, "every row once")
        await pipeline.stopAll()
    }

    @Test("pyarrow reads every stage's chunks of a job and finds its rows, typed after validation")
    func pyarrowReadsEveryStage() async throws {
        let pipeline = try TestPipeline(overrides: Self.stored)
        try await pipeline.start()
        let schema = try JSONCoding.decode(TableSchema.self, from: Array("""
            {"fields": [{"name": "student_id", "type": "string", "constraints": {"required": true}},
                        {"name": "name", "type": "string"}, {"name": "course", "type": "string"},
                        {"name": "grade", "type": "integer", "constraints": {"required": true}},
                        {"name": "attendance", "type": "number"}]}
            """.utf8))
        let id = "job-arrow-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(JobSubmit(jobId: id, idempotencyKey: id, name: "arrow.csv",
                                            source: .inline(FaultTests.csv(rows: 30)), chunkSize: 10, schema: schema))
        #expect(try await pipeline.waitForEnd(id).state == "published")
        let result = try Python.run("""
            import sys, glob, json, os, pyarrow as pa, pyarrow.ipc as ipc
            out = {}
            for stage in ["ingested", "validated", "transformed", "validated-errors"]:
                tables = [ipc.open_stream(open(p, "rb")).read_all() for p in sorted(glob.glob(os.path.join(sys.argv[1], stage, "*.arrows")))]
                t = pa.concat_tables(tables, promote_options="permissive") if tables else None
                out[stage] = {"chunks": len(tables), "rows": t.num_rows if t else 0,
                              "types": {f.name: str(f.type) for f in t.schema} if t else {},
                              "first": {k: str(v) for k, v in t.slice(0, 1).to_pylist()[0].items()} if t else {}}
            print(json.dumps(out))
            """, [env.objectRoot + "/" + ChunkStore.jobPrefix(id)])
        #expect(result.status == 0, "\(result.stderr)")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: Any]])
        #expect(out["ingested"]?["chunks"] as? Int == 3 && out["ingested"]?["rows"] as? Int == 30)
        #expect(out["validated"]?["rows"] as? Int == 26 && out["transformed"]?["rows"] as? Int == 26, "4 rows miss a grade")
        #expect(out["validated-errors"]?["rows"] as? Int == 4)
        let ingestedTypes = out["ingested"]?["types"] as? [String: String]
        #expect(ingestedTypes?["grade"] == "string" && ingestedTypes?["_line"] == "int64", "ingest keeps text")
        let validatedTypes = out["validated"]?["types"] as? [String: String]
        #expect(validatedTypes?["grade"] == "int64" && validatedTypes?["attendance"] == "double", "validate types the cells")
        let first = out["validated"]?["first"] as? [String: String]
        #expect(first?["student_id"] == "S1" && first?["grade"] == "51" && first?["_line"] == "2")
        await pipeline.stopAll()
    }

    @Test("on the S3 backend (real SeaweedFS) a job publishes the same outputs as on a directory, downloads included")
    func s3Backend() async throws {
        let content = FaultTests.csv(rows: 500)
        var outputs: [[UInt8]] = []
        for backend in ["local", "s3"] {
            let pipeline = try TestPipeline(overrides: [
                "storage.backend": backend, "storage.s3.endpoint": env.s3Endpoint, "storage.s3.bucket": env.s3Bucket,
                "storage.s3.access.key": env.s3AccessKey, "storage.s3.secret.key": env.s3SecretKey,
                "storage.s3.spool": NSTemporaryDirectory() + "sluice-s3-spool", "chunks.inline.bytes": "0"])
            try await pipeline.start()
            let id = "job-\(backend)-\(UUID().uuidString.lowercased())"
            try await pipeline.submit(JobSubmit(jobId: id, idempotencyKey: id, name: "backend.csv", source: .inline(content),
                                                chunkSize: 100, options: JobOptions(outputs: [.csv, .jsonl, .xlsx, .summary])))
            #expect(try await pipeline.waitForEnd(id, timeout: .seconds(90)).state == "published")
            outputs.append(try await pipeline.artifact(id, "output.csv") + (try await pipeline.artifact(id, "output.jsonl")))
            let xlsx = try await pipeline.artifact(id, "output.xlsx")
            #expect(xlsx.starts(with: [0x50, 0x4B]), "an XLSX (zip) downloads whole from the \(backend) store")
            await pipeline.stopAll()
        }
        #expect(outputs[0] == outputs[1] && !outputs[0].isEmpty)
    }
}
