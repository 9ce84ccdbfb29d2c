import ArgumentParser

/// `sluice`: run services and operate the platform.
@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Sluice: durable, message-driven batch processing.",
        subcommands: [ServeCommand.self, DevCommand.self, SubmitCommand.self, JobsCommand.self,
                      ArtifactsCommand.self, IncidentsCommand.self, DeadLettersCommand.self, KnownErrorsCommand.self,
                      QueuesCommand.self, StatusCommand.self, BatchesCommand.self, SchedulesCommand.self, SchemasCommand.self, PlansCommand.self, ReferencesCommand.self, DatasetsCommand.self, RerunCommand.self, TopologyCommand.self,
                      LoginCommand.self, LogoutCommand.self, AccountCommand.self, UsersCommand.self, TokensCommand.self,
                      ProjectsCommand.self, MetricsCommand.self])
}

/// Exit codes scripts can rely on.
enum ExitCodes {
    /// The job failed.
    static let jobFailed: Int32 = 1
    /// Bad usage or input.
    static let usage: Int32 = 2
    /// A service or the broker could not be reached, or a wait timed out.
    static let unavailable: Int32 = 3
}
