import APIModels
import ArgumentParser
import Contracts
import Foundation

/// `sluice batches …`: many jobs as one batch, through the gateway (docs/job-control.md#batches).
struct BatchesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batches", abstract: "Submit many files as one batch; list, show, pause, resume or cancel batches.",
        subcommands: [Submit.self, Create.self, Close.self, List.self, Show.self, Pause.self, Resume.self, Cancel.self])

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upload each file as a job of one new batch, close it, and print its id (or wait for it).")
        @Argument(help: "The files, one job each.") var files: [String]
        @Option(help: "The batch's name (default: the first file's name and the count).") var name: String?
        @Option(help: "The project (default: your only project, else default).") var project: String?
        @Option(help: "A schema stored for the project, for every job.") var schemaName: String?
        @Option(help: "A plan stored for the project, for every job.") var planName: String?
        @Option(help: "urgent, normal or low, for every job.") var priority: String?
        @Option(help: "A tag key=value for every job (repeatable).") var tag: [String] = []
        @Option(help: "A webhook told when the batch finishes (repeatable).") var webhook: [String] = []
        @Option(help: "A chat webhook told when the batch finishes (repeatable).") var chat: [String] = []
        @Option(help: "An email address told when the batch finishes (repeatable).") var email: [String] = []
        @Flag(help: "Wait for the batch to finish; exit 1 unless every job completed.") var wait = false
        @Option(help: "Seconds to wait with --wait.") var timeout: Int = 3600
        @Flag var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                guard !files.isEmpty else { throw CLIError(code: ExitCodes.usage, message: "give at least one file") }
                let api = try APIClient(global: global)
                let targets = NotifySpec(webhooks: webhook, chat: chat.isEmpty ? nil : chat, emails: email.isEmpty ? nil : email)
                let batch = try await api.send(Batch.self, "POST", "/batches", body: NewBatch(
                    name: name ?? "\((files[0] as NSString).lastPathComponent) and \(files.count - 1) more",
                    project: project, notify: targets.isEmpty ? nil : targets))
                let tags = try KeyValuePairs.parse(tag)
                for file in files {
                    var options: [String: Any] = ["batch": batch.id, "project": batch.project,
                                                  "name": (file as NSString).lastPathComponent]
                    if let schemaName { options["schemaName"] = schemaName }
                    if let planName { options["planName"] = planName }
                    if let priority { options["priority"] = priority }
                    if !tags.isEmpty { options["tags"] = tags }
                    _ = try await api.upload(GatewayJob.self, "/jobs", options: [UInt8](try JSONSerialization.data(withJSONObject: options)),
                                             file: URL(fileURLWithPath: file).standardizedFileURL.path, headers: [:])
                }
                let current = try await api.send(Batch.self, "POST", "/batches/\(batch.id)/close", body: ControlRequest())
                if !wait {
                    if json { try HTTPJSON.print(current) } else { print(batch.id) }
                    return
                }
                if !json { print(batch.id) }
                try await BatchesCommand.wait(for: current, api: api, timeout: timeout, json: json)
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an open batch; jobs join with `sluice submit --batch ID`; then `sluice batches close ID`.")
        @Argument var name: String
        @Option var project: String?
        @Option(help: "A webhook told when the batch finishes (repeatable).") var webhook: [String] = []
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await exiting {
                let batch = try await APIClient(global: global).send(Batch.self, "POST", "/batches", body: NewBatch(
                    name: name, project: project, notify: webhook.isEmpty ? nil : NotifySpec(webhooks: webhook)))
                print(batch.id)
            }
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close an open batch: no more jobs join.")
        @Argument var id: String
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await exiting {
                let batch = try await APIClient(global: global).send(Batch.self, "POST", "/batches/\(APIClient.escape(id))/close",
                                                                      body: ControlRequest())
                print(BatchesCommand.describe(batch))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Batches, newest first.")
        @Option var project: String?
        @Option(help: "open, running, completed, failed or cancelled.") var state: String?
        @Option var limit: Int = 50
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await exiting {
                let batches = try await APIClient(global: global).get([Batch].self, "/batches", query: [
                    ("project", project), ("state", state), ("limit", String(limit))])
                if json { return try HTTPJSON.print(batches) }
                print(Table.render(batches.map { b in
                    [b.id, b.project, b.name, b.state, "\(b.byState["completed"] ?? 0)/\(b.jobs)",
                     b.successRate.map { "\(Int(($0 * 100).rounded()))%" } ?? "", APIClient.time(b.createdAt)]
                }, header: ["BATCH", "PROJECT", "NAME", "STATE", "COMPLETED", "SUCCESS", "CREATED"]))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A batch: its figures and its jobs.")
        @Argument var id: String
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await exiting {
                let detail = try await APIClient(global: global).get(BatchDetail.self, "/batches/\(APIClient.escape(id))")
                if json { return try HTTPJSON.print(detail) }
                print(BatchesCommand.describe(detail.batch) + "\n")
                print(Table.render(detail.jobs.map { [$0.id, $0.name, $0.state, $0.rowsValid.map(String.init) ?? "",
                                                      $0.rowsInvalid.map(String.init) ?? "", $0.error ?? ""] },
                                   header: ["JOB", "NAME", "STATE", "VALID", "INVALID", "ERROR"]))
            }
        }
    }

    static func control(_ action: JobControl.Action, _ id: String, global: GlobalOptions) async throws {
        let batch = try await APIClient(global: global).send(Batch.self, "POST", "/batches/\(APIClient.escape(id))/\(action.rawValue)",
                                                              body: ControlRequest())
        print(describe(batch))
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause every job of a batch.")
        @Argument var id: String
        @OptionGroup var global: GlobalOptions
        func run() async throws { try await exiting { try await BatchesCommand.control(.pause, id, global: global) } }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume the paused jobs of a batch.")
        @Argument var id: String
        @OptionGroup var global: GlobalOptions
        func run() async throws { try await exiting { try await BatchesCommand.control(.resume, id, global: global) } }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel every job of a batch that has not ended.")
        @Argument var id: String
        @OptionGroup var global: GlobalOptions
        func run() async throws { try await exiting { try await BatchesCommand.control(.cancel, id, global: global) } }
    }

    /// Waits for `batch` to end, its progress on one line of stderr; exits 1 (`jobFailed`)
    /// unless it completed.
    static func wait(for batch: Batch, api: APIClient, timeout: Int, json: Bool) async throws {
        var current = batch
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ["open", "running"].contains(current.state), ContinuousClock.now < deadline {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(describe(current))".utf8))
            try await Task.sleep(for: .milliseconds(250))
            current = try await api.get(BatchDetail.self, "/batches/\(batch.id)").batch
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(describe(current))\n".utf8))
        if json { try HTTPJSON.print(current) }
        guard current.state == "completed" else {
            throw CLIError(code: ExitCodes.jobFailed, message: "batch \(batch.id) \(current.state): see `sluice batches show \(batch.id)`")
        }
    }

    static func describe(_ b: Batch) -> String {
        let done = b.byState.filter { ["completed", "failed", "cancelled", "skipped", "stored"].contains($0.key) }.values.reduce(0, +)
        return "\(b.id) \(b.state): \(done) of \(b.jobs) jobs ended (completed \(b.byState["completed"] ?? 0), "
            + "failed \(b.byState["failed"] ?? 0), cancelled \(b.byState["cancelled"] ?? 0))"
            + (b.successRate.map { ", success rate \(Int(($0 * 100).rounded()))%" } ?? "")
    }
}
