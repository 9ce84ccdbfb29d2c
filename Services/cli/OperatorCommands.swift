import APIModels
import ArgumentParser
import Contracts
import Foundation

/// `sluice jobs show ID` / `sluice jobs list`, through the gateway.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs",
                                                    abstract: "List jobs, show their progress and history, pause, resume or cancel them.",
                                                    subcommands: [Show.self, List.self, Events.self, Pause.self, Resume.self, Cancel.self])

    struct Show: AsyncParsableCommand {
        @Argument var id: String
        @Flag var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let job = try await APIClient(global: global).get(GatewayJob.self, "/jobs/" + APIClient.escape(id))
                if json { return try HTTPJSON.print(job) }
                var rows = [["job", job.id], ["name", job.name], ["project", job.project], ["submitter", job.submitter ?? ""],
                            ["state", job.state], ["priority", job.priority], ["chunks", "\(job.chunksDone)/\(job.chunks.map(String.init) ?? "?")"],
                            ["rows", "\(job.rowsTotal.map(String.init) ?? "?") in, \(job.rowsValid.map(String.init) ?? "?") valid, "
                                + "\(job.rowsInvalid.map(String.init) ?? "?") invalid"],
                            ["submitted", APIClient.time(job.submittedAt)], ["finished", APIClient.time(job.finishedAt)]]
                if let error = job.error { rows.append([job.state == "stalled" ? "stalled" : "failure", error]) }
                if let incident = job.incidentId { rows.append(["incident", "\(incident)  (sluice incidents show \(incident))"]) }
                if let notBefore = job.notBefore { rows.append(["waits until", APIClient.time(notBefore) + "  (why: sluice jobs events \(job.id))"]) }
                print(Table.render(rows, header: nil))
                if ["failed", "stalled", "cancelled"].contains(job.state) { throw ExitCode(ExitCodes.jobFailed) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        @Option(help: "Only this project's jobs.") var project: String?
        @Option(help: "Only jobs in this state (queued, rate_limited, dispatched, in_progress, retried, paused, stalled, completed, failed, cancelled, skipped, stored).")
        var state: String?
        @Option(help: "Only jobs of this priority (urgent, normal, low).") var priority: String?
        @Option(help: "A tag key=value (repeatable).") var tag: [String] = []
        @Option(help: "Jobs whose name contains this.") var name: String?
        @Option(help: "Jobs this user submitted.") var submitter: String?
        @Option(help: "Jobs submitted at or after this ISO 8601 time.") var since: String?
        @Option(help: "At most this many.") var limit: Int = 50
        @Flag var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let page = try await APIClient(global: global).get(GatewayJobPage.self, "/jobs", query: [
                    ("project", project), ("state", state), ("priority", priority), ("name", name), ("submitter", submitter), ("since", since),
                    ("limit", String(limit))] + tag.map { ("tag", $0) })
                if json { return try HTTPJSON.print(page.items) }
                print(Table.render(page.items.map { job in
                    [job.id, job.project, job.name, job.state, job.priority, job.rowsValid.map(String.init) ?? "",
                     job.rowsInvalid.map(String.init) ?? "", APIClient.time(job.submittedAt)]
                }, header: ["JOB", "PROJECT", "NAME", "STATE", "PRIORITY", "VALID", "INVALID", "SUBMITTED"]))
            }
        }
    }
}

/// `sluice artifacts get ID --out DIR` / `sluice artifacts list ID`, through the gateway.
struct ArtifactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "artifacts", abstract: "List and download job artifacts.",
                                                    subcommands: [Get.self, List.self])

    struct Get: AsyncParsableCommand {
        @Argument var id: String
        @Option(help: "Directory to write the artifacts into.") var out: String = "."
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let api = try APIClient(global: global)
                let path = "/jobs/" + APIClient.escape(id) + "/artifacts"
                let list = try await api.get(ArtifactList.self, path)
                guard !list.artifacts.isEmpty else {
                    throw CLIError(code: ExitCodes.usage, message: "job \(id) has no artifacts (yet)")
                }
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                for artifact in list.artifacts {
                    let target = (out as NSString).appendingPathComponent(artifact.name)
                    try await api.download(path + "/" + APIClient.escape(artifact.name), to: target)
                    print(target)
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        @Argument var id: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let list = try await APIClient(global: global).get(ArtifactList.self, "/jobs/" + APIClient.escape(id) + "/artifacts")
                print(Table.render(list.artifacts.map { [$0.name, $0.contentType, "\($0.bytes)", $0.sha256] },
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
