import APIModels
import ArgumentParser
import Contracts
import Foundation

/// `sluice jobs show ID` / `sluice jobs list`.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "Show job progress.",
                                                    subcommands: [Show.self, List.self])

    struct Show: AsyncParsableCommand {
        @Argument var id: String
        @Flag var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let url = global.serviceURL("metrics", values: try global.values())
                guard let progress = try await HTTPJSON.get(JobProgress.self, "\(url)/jobs/\(id)") else {
                    throw CLIError(code: ExitCodes.usage, message: "no job \(id)")
                }
                if json { return try HTTPJSON.print(progress) }
                var rows = [["job", progress.jobId], ["name", progress.name ?? ""], ["state", progress.state],
                            ["chunks", "\(progress.chunksTransformed)/\(progress.chunksTotal.map(String.init) ?? "?")"],
                            ["rows", "\(progress.rowsTotal.map(String.init) ?? "?") in, \(progress.rowsValid) valid, \(progress.rowsInvalid) invalid"]]
                if let reason = progress.failureReason { rows.append(["failure", reason]) }
                if progress.state == "stalled" {
                    rows.append(["stalled", progress.stalledReason ?? ""])
                    rows.append(["incident", "\(progress.incidentId ?? "?")  (sluice incidents show \(progress.incidentId ?? "ID"))"])
                }
                print(Table.render(rows, header: nil))
                if progress.state == "failed" || progress.state == "stalled" { throw ExitCode(ExitCodes.jobFailed) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        @Flag var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let url = global.serviceURL("metrics", values: try global.values())
                let jobs = try await HTTPJSON.get([JobProgress].self, "\(url)/jobs") ?? []
                if json { return try HTTPJSON.print(jobs) }
                print(Table.render(jobs.map { [$0.jobId, $0.name ?? "", $0.state, "\($0.rowsValid)", "\($0.rowsInvalid)"] },
                                   header: ["JOB", "NAME", "STATE", "VALID", "INVALID"]))
            }
        }
    }
}

/// `sluice artifacts get ID --out DIR` / `sluice artifacts list ID`.
struct ArtifactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "artifacts", abstract: "List and download job artifacts.",
                                                    subcommands: [Get.self, List.self])

    struct Get: AsyncParsableCommand {
        @Argument var id: String
        @Option(help: "Directory to write the artifacts into.") var out: String = "."
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let url = global.serviceURL("publish", values: try global.values())
                guard let list = try await HTTPJSON.get(ArtifactList.self, "\(url)/jobs/\(id)/artifacts"),
                      !list.artifacts.isEmpty else {
                    throw CLIError(code: ExitCodes.usage, message: "job \(id) has no artifacts (yet)")
                }
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                for artifact in list.artifacts {
                    guard let bytes = try await HTTPJSON.bytes("\(url)/jobs/\(id)/artifacts/\(artifact.name)") else { continue }
                    let path = (out as NSString).appendingPathComponent(artifact.name)
                    try Data(bytes).write(to: URL(fileURLWithPath: path))
                    print(path)
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        @Argument var id: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let url = global.serviceURL("publish", values: try global.values())
                let list = try await HTTPJSON.get(ArtifactList.self, "\(url)/jobs/\(id)/artifacts")
                print(Table.render((list?.artifacts ?? []).map { [$0.name, $0.contentType, "\($0.bytes)", $0.sha256] },
                                   header: ["NAME", "TYPE", "BYTES", "SHA256"]))
            }
        }
    }
}

/// Plain-text tables for people.
enum Table {
    static func render(_ rows: [[String]], header: [String]?) -> String {
        let all = (header.map { [$0] } ?? []) + rows
        guard let columns = all.map(\.count).max(), columns > 0 else { return "" }
        let widths = (0..<columns).map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
