import APIModels
import ArgumentParser
import Catalog
import Contracts
import Foundation
import Hosting
import Logging
import Messaging
import Plans
import Runtime

/// `sluice submit FILE`: submit a job through the gateway and print its id — a local file is
/// uploaded (multipart, streamed from disk), a URL or an earlier job is named; with `--wait`,
/// follow progress and exit 0 on published, 1 on failed, 3 on timeout.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a file (CSV, TSV, JSON Lines, JSON, XLSX, text list), a URL or an earlier job as a job.")

    @Argument(help: "A local file (uploaded), or an http(s):// or s3://bucket/key URL (omit with --url, --from-job or --server-path).")
    var file: String?
    @Option(help: "A URL ingest fetches instead of a file: http(s)://…, or s3://bucket/key on the storage.s3 service.")
    var url: String?
    @Option(help: "Reuse an earlier job's stored input (analysis-only) or results (publish-only).") var fromJob: String?
    @Option(help: "Read this path on the server instead of uploading (operators; it must be under ingest.roots).")
    var serverPath: String?
    @Option(help: "The project the job belongs to (default: your only project, else default).") var project: String?
    @Option(help: "Submitting again with the same key returns the first job instead of a new one.") var idempotencyKey: String?
    @Option(help: "Format: auto, csv, tsv, jsonl, json, xlsx, text.") var format: String?
    @Option(help: "The XLSX sheet to read (default: the first).") var sheet: String?
    @Option(help: "Text encoding: auto, utf-8, windows-1252, utf-16le, utf-16be.") var encoding: String?
    @Option(help: "The column name for a text list (format text; default value).") var textColumn: String?
    @Option(help: "A Table Schema (JSON) to validate against.") var schema: String?
    @Option(help: "A schema stored in validate: NAME or NAME@VERSION.") var schemaName: String?
    @Option(help: "A processing plan file (JSON or YAML) to apply.") var plan: String?
    @Option(help: "A plan stored in transform: NAME or NAME@VERSION.") var planName: String?
    @Option(help: "Stages: all, ingest-only, analysis-only, publish-only.") var stages: String?
    @Option(help: "Outputs (comma-separated): csv, jsonl, xlsx, summary, validation, report, results.") var outputs: String?
    @Option(help: "Fail the job when more than this share (0…1) of rows is invalid.") var maxInvalid: Double?
    @Option(help: "A JSON file with KPI tables: [{\"title\", \"groupBy\": [...], \"metrics\": [...]}].")
    var aggregates: String?
    @Option(help: "A dataset key; an unchanged input of the same dataset is skipped.") var datasetKey: String?
    @Option(help: "The day the job runs for (YYYY-MM-DD), what the plan's run_date() reads (default: today).") var runDate: String?
    @Flag(help: "Process even if the dataset's input is unchanged.") var force = false
    @Flag(help: "Test mode: run every stage and produce reports, but publish no dataset and notify nobody.")
    var dryRun = false
    @Flag(help: "Turn header names into snake_case.") var snakeCase = false
    @Flag(help: "Keep cells exactly as written (no trimming), so validation sees what frictionless sees.")
    var keepSpaces = false
    @Option(help: "A cell text that means missing (repeatable; default: the empty string).") var missing: [String] = []
    @Option(help: "A name for the job (default: the file name).") var name: String?
    @Option(help: "urgent, normal (default) or low: urgent work jumps the line at every stage, low work yields.")
    var priority: String?
    @Option(help: "An open batch (sluice batches create) the job joins.") var batch: String?
    @Option(help: "A webhook URL notified of the outcome (repeatable).") var webhook: [String] = []
    @Option(help: "A chat webhook (Slack-compatible) told of the outcome with the job's figures (repeatable).")
    var chat: [String] = []
    @Option(help: "An email address told of the outcome (repeatable).") var email: [String] = []
    @Option(help: "A tag key=value (repeatable).") var tag: [String] = []
    @Option(help: "Records per chunk.") var chunkSize: Int?
    @Option(help: "Use this job id (default: a new one).") var jobId: String?
    @Flag(help: "Send the file's text inside the submission instead of uploading it (small UTF-8 files).") var inline = false
    @Flag(help: "Wait for the job to finish, showing progress.") var wait = false
    @Option(help: "Seconds to wait with --wait.") var timeout: Int = 600
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await exiting {
            LogSetup.bootstrap(format: .human, level: .warning)
            let submission = try makeSubmission()
            let api = try APIClient(global: global)
            let headers = idempotencyKey.map { ["Idempotency-Key": $0] } ?? [:]
            let job: GatewayJob
            if let localFile {
                var options = submission
                options.source = .upload("")
                var object = try JSONSerialization.jsonObject(with: try JSONCoding.encoder().encode(options)) as? [String: Any] ?? [:]
                object["source"] = nil
                job = try await api.upload(GatewayJob.self, "/jobs", options: [UInt8](try JSONSerialization.data(withJSONObject: object)),
                                           file: localFile, headers: headers)
            } else {
                job = try await api.send(GatewayJob.self, "POST", "/jobs", bytes: try JSONCoding.encode(submission), headers: headers)
            }
            if !wait {
                if json { try HTTPJSON.print(job) } else { writeLine(job.id) }
                return
            }
            if !json { writeLine(job.id) }
            try await JobWaiter(api: api, json: json).wait(jobId: job.id, timeout: .seconds(timeout))
        }
    }

    /// The local file to upload, if the source is one.
    private var localFile: String? {
        guard let file, fromJob == nil, url == nil, serverPath == nil, !inline, !Self.isURL(file) else { return nil }
        return URL(fileURLWithPath: file).standardizedFileURL.path
    }

    private func makeSubmission() throws -> JobSubmit {
        let tags = try KeyValuePairs.parse(tag)
        var tableSchema: TableSchema?
        if let schema {
            do {
                tableSchema = try JSONCoding.decode(TableSchema.self, from: try [UInt8](Data(contentsOf: URL(fileURLWithPath: schema))))
            } catch {
                throw CLIError(code: ExitCodes.usage, message: "\(schema) is not a Table Schema: \(describe(error))")
            }
        }
        var processingPlan: ProcessingPlan?
        if let plan {
            guard let text = FileManager.default.contents(atPath: plan) else {
                throw CLIError(code: ExitCodes.usage, message: "cannot read \(plan)")
            }
            do { processingPlan = try ProcessingPlan.parse(text: String(decoding: text, as: UTF8.self)) } catch {
                throw CLIError(code: ExitCodes.usage, message: "\(plan): \(error.message)")
            }
        }
        let (source, defaultName) = try makeSource()
        return JobSubmit(jobId: jobId, name: name ?? defaultName, source: source,
                         format: format, chunkSize: chunkSize, tags: tags.isEmpty ? nil : tags, schema: tableSchema,
                         schemaName: schemaName, plan: processingPlan, planName: planName,
                         notify: webhook.isEmpty && chat.isEmpty && email.isEmpty ? nil
                             : NotifySpec(webhooks: webhook, chat: chat.isEmpty ? nil : chat, emails: email.isEmpty ? nil : email),
                         options: try makeOptions(),
                         project: project, priority: try parsedPriority(), batch: batch)
    }

    private func parsedPriority() throws -> Priority? {
        guard let priority else { return nil }
        guard let known = Priority(name: priority) else {
            throw CLIError(code: ExitCodes.usage, message: "--priority must be urgent, normal or low, not '\(priority)'")
        }
        return known
    }

    /// Whether the argument names a source ingest fetches rather than a local file.
    static func isURL(_ text: String) -> Bool {
        ["s3://", "http://", "https://"].contains { text.lowercased().hasPrefix($0) }
    }

    private func makeSource() throws -> (JobSubmit.Source, String) {
        if let fromJob { return (.job(fromJob), fromJob) }
        if let serverPath { return (.path(serverPath), (serverPath as NSString).lastPathComponent) }
        if let url = url ?? file.flatMap({ Self.isURL($0) ? $0 : nil }) {
            return (.url(url), URL(string: url)?.lastPathComponent ?? url)
        }
        guard let file else {
            throw CLIError(code: ExitCodes.usage, message: "give a file, --url, --from-job or --server-path")
        }
        let path = URL(fileURLWithPath: file).standardizedFileURL
        guard FileManager.default.isReadableFile(atPath: path.path) else {
            throw CLIError(code: ExitCodes.usage, message: "cannot read \(file)")
        }
        if inline {
            guard let text = String(data: try Data(contentsOf: path), encoding: .utf8) else {
                throw CLIError(code: ExitCodes.usage, message: "--inline needs UTF-8 text; leave it out to upload \(file)")
            }
            return (.inline(text), path.lastPathComponent)
        }
        return (.upload(""), path.lastPathComponent)
    }

    private func makeOptions() throws -> JobOptions? {
        var options = JobOptions()
        if let stages {
            guard let value = JobOptions.Stages(rawValue: stages) else {
                throw CLIError(code: ExitCodes.usage, message: "--stages must be one of \(JobOptions.Stages.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            options.stages = value
        } else if fromJob != nil {
            options.stages = .analysisOnly
        }
        if let outputs {
            options.outputs = try outputs.split(separator: ",").map { name in
                guard let output = JobOptions.Output(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw CLIError(code: ExitCodes.usage, message: "unknown output '\(name)'; use \(JobOptions.Output.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return output
            }
        }
        if let maxInvalid { options.invalidRows = InvalidRowPolicy(action: .fail, maxInvalidShare: maxInvalid) }
        if let aggregates {
            do {
                options.aggregates = try JSONCoding.decode([AggregateSpec].self,
                                                           from: [UInt8](Data(contentsOf: URL(fileURLWithPath: aggregates))))
            } catch {
                throw CLIError(code: ExitCodes.usage, message: "\(aggregates) is not a list of aggregates: \(describe(error))")
            }
        }
        options.dryRun = dryRun ? true : nil
        options.force = force ? true : nil
        options.datasetKey = datasetKey
        if let runDate {
            guard runDate.range(of: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", options: .regularExpression) != nil else {
                throw CLIError(code: ExitCodes.usage, message: "--run-date is YYYY-MM-DD, got '\(runDate)'")
            }
            options.runDate = runDate
        }
        options.sheet = sheet
        options.encoding = encoding
        options.textColumn = textColumn
        if snakeCase || !missing.isEmpty || keepSpaces {
            options.standardize = Standardize(snakeCase: snakeCase ? true : nil, missingValues: missing.isEmpty ? nil : missing,
                                              trimCells: keepSpaces ? false : nil)
        }
        return options == JobOptions() ? nil : options
    }
}
