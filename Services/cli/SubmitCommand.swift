import ArgumentParser
import Catalog
import Contracts
import Foundation
import Hosting
import Logging
import Messaging
import Plans
import Runtime

/// `sluice submit FILE`: publish a `job.submit` (with a broker confirm) and print the job id;
/// with `--wait`, follow progress and exit 0 on published, 1 on failed, 3 on timeout.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a file (CSV, TSV, JSON Lines, JSON, XLSX, text list), a URL or an earlier job as a job.")

    @Argument(help: "The file, or an http(s):// or s3://bucket/key URL (omit with --url or --from-job).") var file: String?
    @Option(help: "A URL ingest fetches instead of a file: http(s)://…, or s3://bucket/key on the storage.s3 service.")
    var url: String?
    @Option(help: "Reuse an earlier job's stored input (analysis-only) or results (publish-only).") var fromJob: String?
    @Flag(help: "Upload the file to ingest over HTTP (for files outside ingest's roots, or on another machine).")
    var upload = false
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
    @Flag(help: "Process even if the dataset's input is unchanged.") var force = false
    @Flag(help: "Test mode: run every stage and produce reports, but publish no dataset and notify nobody.")
    var dryRun = false
    @Flag(help: "Turn header names into snake_case.") var snakeCase = false
    @Flag(help: "Keep cells exactly as written (no trimming), so validation sees what frictionless sees.")
    var keepSpaces = false
    @Option(help: "A cell text that means missing (repeatable; default: the empty string).") var missing: [String] = []
    @Option(help: "A name for the job (default: the file name).") var name: String?
    @Option(help: "A webhook URL notified of the outcome (repeatable).") var webhook: [String] = []
    @Option(help: "A tag key=value (repeatable).") var tag: [String] = []
    @Option(help: "Records per chunk.") var chunkSize: Int?
    @Option(help: "Use this job id (default: a new one).") var jobId: String?
    @Flag(help: "Send the content inside the message instead of a path ingest reads.") var inline = false
    @Flag(help: "Wait for the job to finish, showing progress.") var wait = false
    @Option(help: "Seconds to wait with --wait.") var timeout: Int = 600
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await exiting {
            LogSetup.bootstrap(format: .human, level: .warning)
            let values = try global.values()
            var submission = try makeSubmission()
            if upload {
                guard let file else { throw CLIError(code: ExitCodes.usage, message: "--upload needs a file") }
                submission.source = .upload(try await Uploader(ingestURL: global.serviceURL("ingest", values: values))
                    .upload(file))
            }
            let envelope = Envelope(id: MessageID.random(), jobId: submission.jobId, correlationId: submission.jobId!,
                                    causationId: nil, producer: "sluice-cli", payload: submission)
            let config = try ServiceCatalog.config("cli", values: values)
            let publisher = AMQPPublisher(config: config.amqp, topology: config.topology.all(policies: config.retry),
                                          logger: Logger(label: "sluice.submit"))
            do {
                try await publisher.publish([try OutgoingMessage.event(envelope, topology: config.topology,
                                                                       traceparent: TraceParent.new())],
                                            timeout: .seconds(30))
            } catch {
                await publisher.close()
                throw CLIError(code: ExitCodes.unavailable, message: "cannot publish to \(config.amqp.redacted): \(error)")
            }
            await publisher.close()
            if !wait {
                if json { try HTTPJSON.print(["jobId": submission.jobId!]) } else { writeLine(submission.jobId!) }
                return
            }
            if !json { writeLine(submission.jobId!) }
            try await JobWaiter(metricsURL: global.serviceURL("metrics", values: values),
                                publishURL: global.serviceURL("publish", values: values), json: json)
                .wait(jobId: submission.jobId!, timeout: .seconds(timeout))
        }
    }

    private func makeSubmission() throws -> JobSubmit {
        var tags: [String: String] = [:]
        for item in tag {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw CLIError(code: ExitCodes.usage, message: "--tag expects key=value, got \(item)") }
            tags[String(parts[0])] = String(parts[1])
        }
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
        let id = jobId ?? "job-" + MessageID.random()
        return JobSubmit(jobId: id, idempotencyKey: id, name: name ?? defaultName, source: source,
                         format: format, chunkSize: chunkSize, tags: tags.isEmpty ? nil : tags, schema: tableSchema,
                         schemaName: schemaName, plan: processingPlan, planName: planName,
                         notify: webhook.isEmpty ? nil : NotifySpec(webhooks: webhook), options: try makeOptions())
    }

    /// Whether the argument names a source ingest fetches rather than a local file.
    static func isURL(_ text: String) -> Bool {
        ["s3://", "http://", "https://"].contains { text.lowercased().hasPrefix($0) }
    }

    private func makeSource() throws -> (JobSubmit.Source, String) {
        if let fromJob { return (.job(fromJob), fromJob) }
        if let url = url ?? file.flatMap({ Self.isURL($0) ? $0 : nil }) {
            return (.url(url), URL(string: url)?.lastPathComponent ?? url)
        }
        guard let file else {
            throw CLIError(code: ExitCodes.usage, message: "give a file, --url or --from-job")
        }
        let path = URL(fileURLWithPath: file).standardizedFileURL
        guard FileManager.default.isReadableFile(atPath: path.path) else {
            throw CLIError(code: ExitCodes.usage, message: "cannot read \(file)")
        }
        if inline {
            guard let text = String(data: try Data(contentsOf: path), encoding: .utf8) else {
                throw CLIError(code: ExitCodes.usage, message: "--inline needs UTF-8 text; use --upload for \(file)")
            }
            return (.inline(text), path.lastPathComponent)
        }
        return (.path(path.path), path.lastPathComponent)
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
