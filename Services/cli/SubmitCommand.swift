import ArgumentParser
import Contracts
import Foundation
import Logging
import Messaging
import MetricsService
import ServiceRuntime

/// `sluice submit FILE`: publish a `job.submit` (with a broker confirm) and print the job id;
/// with `--wait`, follow progress and exit 0 on published, 1 on failed, 3 on timeout.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "submit", abstract: "Submit a CSV file as a job.")

    @Argument(help: "The CSV file.") var file: String
    @Option(help: "A Table Schema (JSON) to validate against.") var schema: String?
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
            let submission = try makeSubmission()
            let envelope = Envelope(id: MessageID.random(), jobId: submission.jobId, correlationId: submission.jobId!,
                                    causationId: nil, producer: "sluice-cli", payload: submission)
            let config = try RuntimeConfig(service: "cli", values: values)
            let publisher = AMQPPublisher(config: config.amqp, topology: config.topology.all(policy: config.retry),
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
        let url = URL(fileURLWithPath: file).standardizedFileURL
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw CLIError(code: ExitCodes.usage, message: "cannot read \(file)")
        }
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
        let source: JobSubmit.Source = inline
            ? .inline(String(decoding: try Data(contentsOf: url), as: UTF8.self)) : .path(url.path)
        let id = jobId ?? "job-" + MessageID.random()
        return JobSubmit(jobId: id, idempotencyKey: id, name: name ?? url.lastPathComponent, source: source,
                         format: "csv", chunkSize: chunkSize, tags: tags.isEmpty ? nil : tags, schema: tableSchema,
                         notify: webhook.isEmpty ? nil : NotifySpec(webhooks: webhook))
    }
}
