import ArgumentParser
import Contracts
import Foundation
import Outbound

/// `sluice-bench`: generate a large CSV, run it through the real pipeline (services started
/// by `sluice dev`), and report throughput end to end, per stage, and peak RSS per service.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sluice-bench",
                                                    subcommands: [Generate.self, Run.self, SmallJobs.self], defaultSubcommand: Run.self)
}

struct Generate: ParsableCommand {
    @Option(help: "Rows to generate.") var rows = 1_000_000
    @Option(help: "Output file.") var out = "var/bench/input.csv"

    func run() throws { try BenchData.write(rows: rows, to: out) }
}

struct Run: AsyncParsableCommand {
    @Option(help: "Rows to generate and process.") var rows = 1_000_000
    @Option(help: "Records per chunk.") var chunkSize = 1000
    @Option(help: "The sluice binary (services must already run under `sluice dev`).") var sluice = ".build/release/sluice"
    @Option(help: "Seconds to wait for the job.") var timeout = 1800

    func run() async throws {
        let input = "var/bench/input-\(rows).csv"
        if !FileManager.default.fileExists(atPath: input) { try BenchData.write(rows: rows, to: input) }
        let bytes = (try FileManager.default.attributesOfItem(atPath: input)[.size] as? Int) ?? 0
        print("input: \(input) (\(rows) rows, \(bytes / 1_048_576) MiB)")
        let jobId = "bench-\(UUID().uuidString.lowercased())"
        let submit = Process()
        submit.executableURL = URL(fileURLWithPath: sluice)
        // A Table Schema, a plan of eight operations, KPI tables and every output.
        submit.arguments = ["submit", input, "--schema", "bench/schema.json", "--plan", "bench/plan.yaml",
                            "--aggregates", "bench/aggregates.json",
                            "--outputs", "csv,jsonl,xlsx,summary,validation,report,results",
                            "--job-id", jobId, "--chunk-size", "\(chunkSize)"]
        let started = Date()
        try submit.run()
        submit.waitUntilExit()
        guard submit.terminationStatus == 0 else { throw ExitCode(submit.terminationStatus) }
        let marks = try await StageClock.follow(jobId: jobId, started: started, timeout: Double(timeout))
        Report.print(rows: rows, bytes: bytes, marks: marks, rss: PeakRSS.services())
    }
}
