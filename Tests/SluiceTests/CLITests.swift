import Contracts
import Foundation
import Testing

/// The `sluice` binary as a user runs it, against a real pipeline.
@Suite("CLI (real RabbitMQ and PostgreSQL)")
struct CLITests {
    let env = TestEnvironment.self

    /// Runs the binary and waits for it off the cooperative pool: the services it talks to run
    /// in this process and need those threads.
    func sluice(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = env.packageRoot.appendingPathComponent(".build/debug/sluice")
        process.arguments = arguments
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("cli-err-\(UUID())")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let data = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                while process.isRunning { usleep(10_000) }
                continuation.resume(returning: data)
            }
        }
        let errors = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: data, as: UTF8.self) + errors)
    }

    @Test("submit --wait exits 0 on published and 1 on failed; jobs show and artifacts get work")
    func submitAndWait() async throws {
        let pipeline = try TestPipeline(overrides: ["ingest.roots": "/"])
        try await pipeline.start()
        let common = ["--set", "topology.prefix=\(pipeline.prefix)", "--set", "topology.expires.ms=600000",
                      "--set", "amqp.url=\(env.amqpURL)",
                      "--set", "metrics.url=\(pipeline.url("metrics", ""))", "--set", "publish.url=\(pipeline.url("publish", ""))"]
        let examples = env.packageRoot.appendingPathComponent("examples/gradebook")
        let ok = try await sluice(["submit", examples.appendingPathComponent("gradebook.csv").path,
                             "--schema", examples.appendingPathComponent("schema.json").path, "--wait", "--timeout", "60"] + common)
        #expect(ok.status == 0, "\(ok.output)")
        let jobId = try #require(ok.output.split(separator: "\n").first.map(String.init))
        #expect(ok.output.contains("output.csv"))
        let show = try await sluice(["jobs", "show", jobId, "--json"] + common)
        #expect(show.status == 0 && show.output.contains("\"state\" : \"published\""))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())").path
        let get = try await sluice(["artifacts", "get", jobId, "--out", out] + common)
        #expect(get.status == 0)
        #expect(FileManager.default.contents(atPath: out + "/output.csv")
                == FileManager.default.contents(atPath: examples.appendingPathComponent("expected/output.csv").path))

        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).csv")
        try Data("student_id,name\nS1,Ann\n".utf8).write(to: bad)
        let failed = try await sluice(["submit", bad.path, "--schema", examples.appendingPathComponent("schema.json").path,
                                 "--wait", "--timeout", "60"] + common)
        #expect(failed.status == 1, "\(failed.output)")
        #expect(failed.output.contains("validate.missing-column"))
        let missing = try await sluice(["submit", "/nonexistent.csv"] + common)
        #expect(missing.status == 2)
        await pipeline.stopAll()
    }
}
