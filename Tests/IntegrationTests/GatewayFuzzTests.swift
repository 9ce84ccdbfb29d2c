import Foundation
@testable import TestSupport
import Testing

/// Schemathesis (PyPI) against a live gateway with an admin token, every check but the two
/// that demand schema-valid data always succeed (see infra/local/schemathesis.sh): no 5xx, no
/// undocumented status, no response that differs from the OpenAPI document.
@Suite("Gateway fuzzing with schemathesis (real RabbitMQ and PostgreSQL)")
struct GatewayFuzzTests {
    @Test("schemathesis finds no server error and no answer outside the document")
    func schemathesis() async throws {
        let world = try GatewayWorld()
        try await world.start()
        let script = TestEnvironment.packageRoot.appendingPathComponent("infra/local/schemathesis.sh")
        let process = Process()
        process.executableURL = script
        process.environment = ProcessInfo.processInfo.environment.merging([
            "SLUICE_URL": world.pipeline.url("gateway", ""), "SLUICE_TOKEN": world.token("admin"),
            "SLUICE_ST_EXAMPLES": "10", "SLUICE_ST_SEED": "20261206",
        ]) { _, new in new }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("schemathesis-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        // Polled: a blocking wait would hold a cooperative thread the in-process services need.
        while process.isRunning { try await Task.sleep(for: .milliseconds(200)) }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let summary = output.components(separatedBy: "SUMMARY").last ?? output
        #expect(process.terminationStatus == 0, "schemathesis failed:\n\(output.suffix(6000))")
        #expect(summary.contains("Tested:"), "the run tested operations:\n\(summary.prefix(2000))")
        await world.stop()
    }
}
