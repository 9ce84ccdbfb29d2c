import APIModels
import ArgumentParser
import Contracts
import Foundation

/// `sluice datasets run`: the catalog, or the part with the tags or names, as one batch.
struct DatasetsRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the catalog (or the datasets with every --tag, or each --name) as one batch with a job per dataset.")
    @Option(help: "A tag key=value that selects datasets (repeatable; all must match).") var tag: [String] = []
    @Option(help: "A dataset to run (repeatable).") var name: [String] = []
    @Option(help: "all (default), ingest-only, analysis-only or publish-only.") var stages: String = "all"
    @Flag(help: "Process inputs even when unchanged since the dataset's last job.") var force = false
    @Option(help: "The day the jobs run for, YYYY-MM-DD (run_date() in plans).") var runDate: String?
    @Option(help: "The project.") var project: String = "default"
    @Flag(help: "Wait for the batch to finish; exit 1 unless every job completed or was skipped.") var wait = false
    @Option(help: "Seconds to wait with --wait.") var timeout: Int = 3600
    @Flag var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await exiting {
            guard let stages = JobOptions.Stages(rawValue: stages) else {
                throw CLIError(code: ExitCodes.usage, message: "--stages is all, ingest-only, analysis-only or publish-only")
            }
            let api = try APIClient(global: global)
            let tags = try KeyValuePairs.parse(tag)
            let run = try await api.send(DatasetRun.self, "POST", "/projects/\(APIClient.escape(project))/dataset-runs",
                                         body: DatasetRunRequest(tags: tags.isEmpty ? nil : tags, names: name.isEmpty ? nil : name,
                                                                 stages: stages, force: force ? true : nil, runDate: runDate))
            if json, !wait { return try HTTPJSON.print(run) }
            if !json {
                print(Table.render(run.jobs.map { [$0.dataset, $0.job, $0.source] }
                                   + run.notRun.map { [$0.dataset, "-", "not run: \($0.reason)"] },
                                   header: ["DATASET", "JOB", "SOURCE"]))
                if let batch = run.batch { print("batch \(batch.id)") }
            }
            guard wait, let batch = run.batch else { return }
            try await BatchesCommand.wait(for: batch, api: api, timeout: timeout, json: json)
        }
    }
}
