import APIModels
import Contracts
import Foundation
import Outbound
@testable import TestSupport
import Testing

/// Jobs through the gateway: submitted as JSON or as a streamed multipart upload, made once
/// per Idempotency-Key, listed with filters and cursors, downloaded and re-run; and the
/// answers to bodies that are too large or malformed.
@Suite("Gateway jobs (real RabbitMQ and PostgreSQL)")
struct GatewayJobTests {
    @Test("submit JSON and multipart, Idempotency-Key, filters and cursors, artifacts, re-run; 413 and 400")
    func jobs() async throws {
        let world = try GatewayWorld()
        try await world.start()
        let pipeline = world.pipeline
        let member = world.token("member-a")

        // JSON, with an Idempotency-Key: the retry gets the first job back; another body, 409.
        let submit = JobSubmit(name: "inline-1", source: .inline("student,grade\ncy,5\n"), tags: ["course": "bio"])
        let first = try await pipeline.gateway("POST", "/jobs", token: member, json: submit, headers: ["Idempotency-Key": "k-1"])
        #expect(first.status == 202, "\(String(decoding: first.body, as: UTF8.self))")
        let job = try JSONCoding.decoder().decode(GatewayJob.self, from: Data(first.body))
        #expect(job.project == "alpha" && job.submitter == "member-a", "a member's only project is the default")
        let retry = try await pipeline.gateway("POST", "/jobs", token: member, json: submit, headers: ["Idempotency-Key": "k-1"])
        let replayed = try JSONCoding.decoder().decode(GatewayJob.self, from: Data(retry.body))
        #expect(retry.status == 200 && replayed.id == job.id)
        var other = submit
        other.name = "inline-2"
        let conflict = try await pipeline.gateway("POST", "/jobs", token: member, json: other, headers: ["Idempotency-Key": "k-1"])
        #expect(conflict.status == 409)
        let path = try await pipeline.gateway("POST", "/jobs", token: member, json: JobSubmit(source: .path("/etc/passwd")))
        #expect(path.status == 403, "reading a server path is for operators")

        // A multipart upload, options first, the file streamed to ingest.
        let csv = "student,grade\n" + (0..<2000).map { "s\($0),\($0 % 10)" }.joined(separator: "\n") + "\n"
        let boundary = "sluice-test-boundary"
        var body = Data()
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"options\"\r\nContent-Type: application/json\r\n\r\n".utf8))
        body.append(try JSONSerialization.data(withJSONObject: ["tags": ["course": "bio"], "outputs": NSNull()]))
        body.append(Data("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"grades.csv\"\r\n\r\n".utf8))
        body.append(Data(csv.utf8))
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        let uploaded = try await pipeline.gateway("POST", "/jobs", token: member, body: [UInt8](body),
                                                  contentType: "multipart/form-data; boundary=\(boundary)")
        #expect(uploaded.status == 202, "\(String(decoding: uploaded.body, as: UTF8.self))")
        let upload = try JSONCoding.decoder().decode(GatewayJob.self, from: Data(uploaded.body))
        #expect(upload.name == "grades.csv" && upload.tags == ["course": "bio"])
        for id in [job.id, upload.id] {
            _ = try await TestEnvironment.eventually(timeout: .seconds(60)) {
                try await pipeline.gatewayJSON(GatewayJob.self, "GET", "/jobs/\(id)", token: member).state == "completed"
            }
        }
        let done = try await pipeline.gatewayJSON(GatewayJob.self, "GET", "/jobs/\(upload.id)", token: member)
        #expect(done.rowsTotal == 2000 && done.chunksDone == done.chunks && done.artifacts?.contains("output.csv") == true)
        let output = try await pipeline.gateway("GET", "/jobs/\(upload.id)/artifacts/output.csv", token: member)
        #expect(output.status == 200 && String(decoding: output.body, as: UTF8.self) == csv, "the file came through whole")

        // Filters and cursors.
        let bio = try await pipeline.gatewayJSON(GatewayJobPage.self, "GET", "/jobs?tag=course=bio&limit=1", token: member)
        #expect(bio.items.count == 1 && bio.next != nil)
        let rest = try await pipeline.gatewayJSON(GatewayJobPage.self, "GET", "/jobs?tag=course=bio&limit=5&cursor=\(bio.next!)",
                                                  token: member)
        #expect(Set((bio.items + rest.items).map(\.id)) == [job.id, upload.id] && rest.next == nil)
        let named = try await pipeline.gatewayJSON(GatewayJobPage.self, "GET", "/jobs?name=GRADES.CSV&state=published", token: member)
        #expect(named.items.map(\.id) == [upload.id], "name matches case-insensitively")
        let mine = try await pipeline.gatewayJSON(GatewayJobPage.self, "GET", "/jobs?submitter=admin", token: member)
        #expect(mine.items.map(\.id) == [world.alphaJob])
        let later = try await pipeline.gatewayJSON(GatewayJobPage.self, "GET",
                                                   "/jobs?since=2999-01-01T00:00:00Z", token: member)
        #expect(later.items.isEmpty)

        // Re-runs: one job, and every dataset with a tag.
        let rerun = try await pipeline.gateway("POST", "/jobs/\(upload.id)/rerun", token: member, body: [])
        #expect(rerun.status == 202, "\(String(decoding: rerun.body, as: UTF8.self))")
        let again = try JSONCoding.decoder().decode(GatewayJob.self, from: Data(rerun.body))
        _ = try await TestEnvironment.eventually(timeout: .seconds(60)) {
            try await pipeline.gatewayJSON(GatewayJob.self, "GET", "/jobs/\(again.id)", token: member).state == "completed"
        }
        let datasets = try await pipeline.gatewayJSON([GatewayJob].self, "POST", "/projects/alpha/reruns", token: member,
                                                      json: RerunRequest(tags: ["course": "math"]))
        #expect(datasets.map(\.name) == ["alpha-grades"])

        // Bodies too large, malformed; parameters and routes that do not exist.
        let huge = [UInt8](repeating: UInt8(ascii: " "), count: 11_000_000)
        let tooLarge = try await pipeline.gateway("POST", "/jobs", token: member, body: huge)
        #expect(tooLarge.status == 413 && String(decoding: tooLarge.body, as: UTF8.self).contains("request.too-large"))
        let malformed = try await pipeline.gateway("POST", "/jobs", token: member, body: Array(#"{"source": "#.utf8))
        #expect(malformed.status == 400)
        let problem = try JSONCoding.decoder().decode(ProblemBody.self, from: Data(malformed.body))
        #expect(problem.code == "request.malformed" && problem.status == 400)
        #expect(try await pipeline.gateway("GET", "/jobs?colour=red", token: member).status == 400)
        let nowhere = try await pipeline.gateway("GET", "/nowhere", token: member)
        #expect(nowhere.status == 404 && String(decoding: nowhere.body, as: UTF8.self).contains("\"code\""))
        await world.stop()
    }
}
