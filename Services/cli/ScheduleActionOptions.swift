import APIModels
import ArgumentParser
import Contracts

/// `--action rerun|datasets|cleanup|digest|metrics` and what each needs, for `sluice schedules add`.
struct ScheduleActionOptions: ParsableArguments {
    @Option(help: "What each fire does: submit (default: the job), rerun, datasets (run the catalog), cleanup, digest or metrics.") var action: String?
    @Option(name: .customLong("tag"), help: "rerun, datasets: a tag key=value that selects the datasets (repeat for several).")
    var tags: [String] = []
    @Option(help: "rerun: analysis-only (default) or publish-only; datasets: all (default), ingest-only, analysis-only or publish-only.") var stages: String?
    @Option(name: .customLong("email"), help: "digest: an address to mail it to (repeat for several).") var emails: [String] = []
    @Option(name: .customLong("chat"), help: "digest: a Slack-format webhook to post it to (repeat for several).")
    var chat: [String] = []
    @Option(name: .customLong("metric"), help: "metrics: a calculated metric to compute (repeat; none: every one).")
    var metrics: [String] = []

    /// The action asked for; nil for the default (submit the job).
    func resolved() throws -> ScheduleAction? {
        guard let action, action != "submit" else {
            guard tags.isEmpty, stages == nil, emails.isEmpty, chat.isEmpty, metrics.isEmpty else {
                throw CLIError(code: ExitCodes.usage, message: "--tag, --stages, --email, --chat and --metric go with --action rerun, datasets, digest or metrics")
            }
            return nil
        }
        guard let kind = ScheduleAction.Kind(rawValue: action) else {
            throw CLIError(code: ExitCodes.usage, message: "--action must be submit, rerun, datasets, cleanup, digest or metrics")
        }
        let selected = try KeyValuePairs.parse(tags)
        let stage = try stages.map { text in
            guard let stage = JobOptions.Stages(rawValue: text) else {
                throw CLIError(code: ExitCodes.usage, message: "--stages must be all, ingest-only, analysis-only or publish-only")
            }
            return stage
        }
        return ScheduleAction(kind: kind, tags: selected.isEmpty ? nil : selected, stages: stage,
                              emails: emails.isEmpty ? nil : emails, chat: chat.isEmpty ? nil : chat,
                              metrics: metrics.isEmpty ? nil : metrics)
    }
}
