import APIModels
import Foundation
@testable import GatewayService
import Hummingbird
import Testing

/// The HTTP pieces of the gateway that are plain functions.
@Suite("Gateway HTTP helpers")
struct GatewayHTTPTests {
    @Test("OpenAPI path templates become router paths")
    func routerPaths() {
        #expect(Operation("x", .get, "/api/v1/jobs/{job}/artifacts/{name}", .jobsRead).routerPath
                == "api/v1/jobs/:job/artifacts/:name")
        #expect(Operation("x", .get, "/api/v1/openapi.json", .public).routerPath == "api/v1/openapi.json")
        #expect(!Operation("x", .get, "/a", .public).mutates && Operation("x", .delete, "/a", .self).mutates)
    }

    @Test("operation ids are unique, and every path parameter is a single segment")
    func table() {
        #expect(Set(OperationTable.all.map(\.id)).count == OperationTable.all.count)
        #expect(Set(OperationTable.all.map { "\($0.method) \($0.path)" }).count == OperationTable.all.count)
        for operation in OperationTable.all {
            #expect(operation.path.hasPrefix("/api/v1/"), "\(operation.id)")
            #expect(operation.permission != .public || ["getHealth", "getOpenAPI", "signIn", "requestVerification",
                "confirmVerification", "requestPasswordReset", "confirmPasswordReset"].contains(operation.id))
        }
    }

    @Test("job cursors round-trip and reject what the API did not give out")
    func cursors() throws {
        let date = Date(timeIntervalSince1970: 1_765_000_000.123456)
        let job = GatewayJobFixture.job(id: "job-1|x", submittedAt: date)
        let (at, id) = try JobCursor.decode(JobCursor.encode(job))
        #expect(id == "job-1|x" && abs(at.timeIntervalSince(date)) < 0.000_002)
        #expect(throws: Problem.self) { try JobCursor.decode("not a cursor!") }
        #expect(throws: Problem.self) { try JobCursor.decode(Data("12|".utf8).base64EncodedString() + "x") }
    }

    @Test("multipart header parameters, quoted or not")
    func multipartParameters() {
        #expect(MultipartUpload.boundary("multipart/form-data; boundary=----abc") == "----abc")
        #expect(MultipartUpload.boundary("multipart/form-data; boundary=\"a b\"") == "a b")
        #expect(MultipartUpload.parameter("filename", "form-data; name=\"file\"; filename=\"grades.csv\"") == "grades.csv")
        #expect(MultipartUpload.parameter("name", "form-data; name=options") == "options")
        #expect(MultipartUpload.boundary("multipart/form-data") == nil)
    }

    @Test("problem documents carry a title even for a status made from a bare code")
    func problemTitles() {
        #expect(Problem.title(.init(code: 404)) == "Not Found")
        #expect(Problem.title(.tooManyRequests) == "Too Many Requests")
        #expect(Problem.title(.init(code: 599)) == "Error")
    }
}

enum GatewayJobFixture {
    static func job(id: String, submittedAt: Date) -> GatewayJob {
        GatewayJob(id: id, project: "p", submitter: nil, name: "n", tags: [:], state: "submitted", chunks: nil,
                     chunksDone: 0, rowsTotal: nil, rowsValid: nil, rowsInvalid: nil, error: nil, incidentId: nil,
                     artifacts: nil, submittedAt: submittedAt, updatedAt: submittedAt, finishedAt: nil)
    }
}
