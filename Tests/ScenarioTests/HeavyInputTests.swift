import Contracts
import Foundation
@testable import TestSupport
import Testing

/// Ugly inputs end to end, including a 10 MB field that every stage carries. Heavy: the test
/// command runs this suite on its own (like the broker restart), so its multi-second decodes
/// of 10 MB messages do not starve the other suites' in-process services.
@Suite("Heavy inputs (real RabbitMQ and PostgreSQL)")
struct HeavyInputTests {
    let env = TestEnvironment.self

    @Test("ugly inputs: empty, header-only, BOM with CRLF and quoted newlines, ragged rows, a 10 MB field, a field over the limit")
    func uglyInputs() async throws {
        let pipeline = try TestPipeline(overrides: ["ingest.max.field.bytes": "12000000"])
        try await pipeline.start()
        let big = String(repeating: "x", count: 10_000_000)
        let cases: [(String, String)] = [
            ("empty", ""),
            ("header", "a,b\r\n"),
            ("bom", "\u{FEFF}a,b\r\n\"line one\nline two\",2\r\n"),
            ("ragged", "a,b,c\n1,2\n1,2,3,4\n1,2,3\n"),
            ("tenmb", "a,b\n1,\(big)\n"),
            ("toolong", "a,b\n1,\(big)\(String(repeating: "y", count: 2_500_000))\n"),
        ]
        var ids: [String: String] = [:]
        for (name, content) in cases {
            let id = PipelineFeatureTests.id(name)
            ids[name] = id
            try await pipeline.submit(JobSubmit(jobId: id, idempotencyKey: id, source: .inline(content), format: "csv"))
        }
        let empty = try await pipeline.waitForEnd(ids["empty"]!)
        #expect(empty.state == "failed" && empty.failureReason?.contains("ingest.empty-source") == true)
        let header = try await pipeline.waitForEnd(ids["header"]!)
        #expect(header.state == "published" && header.rowsTotal == 0)
        #expect(PipelineFeatureTests.text(try await pipeline.artifact(ids["header"]!, "output.csv")) == "a,b\n")
        #expect(try await pipeline.waitForEnd(ids["bom"]!).state == "published")
        #expect(PipelineFeatureTests.text(try await pipeline.artifact(ids["bom"]!, "output.csv")) == "a,b\n\"line one\nline two\",2\n")
        let ragged = try await pipeline.waitForEnd(ids["ragged"]!)
        #expect(ragged.state == "published" && ragged.rowsValid == 1 && ragged.rowsInvalid == 2)
        let raggedErrors = PipelineFeatureTests.text(try await pipeline.artifact(ids["ragged"]!, "validation.csv"))
        #expect(raggedErrors.contains("2,c,missing-cell") && raggedErrors.contains("3,,extra-cell"), "\(raggedErrors)")
        #expect(try await pipeline.waitForEnd(ids["tenmb"]!, timeout: .seconds(120)).state == "published")
        #expect(try await pipeline.artifact(ids["tenmb"]!, "output.csv").count == 10_000_007)
        let tooLong = try await pipeline.waitForEnd(ids["toolong"]!, timeout: .seconds(120))
        #expect(tooLong.state == "failed" && tooLong.failureReason?.contains("ingest.field-too-long") == true)
        await pipeline.stopAll()
    }
}
