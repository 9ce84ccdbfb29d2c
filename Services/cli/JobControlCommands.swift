import APIModels
import ArgumentParser
import Contracts
import Foundation

/// `sluice jobs pause|resume|cancel ID` and `sluice jobs events ID`, through the gateway.
extension JobsCommand {
    /// One operator action on one job.
    static func control(_ action: JobControl.Action, id: String, note: String?, json: Bool,
                        global: GlobalOptions) async throws {
        let job = try await APIClient(global: global).send(GatewayJob.self, "POST",
                                                            "/jobs/\(APIClient.escape(id))/\(action.rawValue)",
                                                            body: ControlRequest(note: note))
        if json { return try HTTPJSON.print(job) }
        print("\(job.id) \(job.state)")
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pause a job at its next chunk boundary; what is left waits until it is resumed (a repeated pause is a no-op).")
        @Argument var id: String
        @Option(help: "Why; kept in the job's history.") var note: String?
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws { try await exiting { try await JobsCommand.control(.pause, id: id, note: note, json: json, global: global) } }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused job where it stopped.")
        @Argument var id: String
        @Option(help: "Why; kept in the job's history.") var note: String?
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws { try await exiting { try await JobsCommand.control(.resume, id: id, note: note, json: json, global: global) } }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a job: it stops within seconds and publishes nothing (a repeated cancel is a no-op).")
        @Argument var id: String
        @Option(help: "Why; kept in the job's history.") var note: String?
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws { try await exiting { try await JobsCommand.control(.cancel, id: id, note: note, json: json, global: global) } }
    }

    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A job's history: state changes, progress, retries, rate-limit waits and operators' actions.")
        @Argument var id: String
        @Option(help: "At most this many.") var limit: Int = 1000
        @Flag var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let page = try await APIClient(global: global).get(JobEventPage.self, "/jobs/\(APIClient.escape(id))/events",
                                                                    query: [("limit", String(limit))])
                if json { return try HTTPJSON.print(page.items) }
                print(Table.render(page.items.map { event in
                    [APIClient.time(event.at), event.kind, event.state, event.actor ?? "",
                     event.message + (event.notBefore.map { " (until \(APIClient.time($0)))" } ?? "")]
                }, header: ["AT", "EVENT", "STATE", "BY", "WHAT"]))
            }
        }
    }
}

/// `sluice projects pause|resume|cancel PROJECT`, through the gateway.
extension ProjectsCommand {
    static func control(_ action: JobControl.Action, project: String, note: String?, json: Bool,
                        global: GlobalOptions) async throws {
        let result = try await APIClient(global: global).send(ProjectControlResult.self, "POST",
                                                               "/projects/\(APIClient.escape(project))/\(action.rawValue)",
                                                               body: ControlRequest(note: note))
        if json { return try HTTPJSON.print(result) }
        print("project \(result.project) \(result.state); \(action.pastTense) \(result.jobs.count) jobs")
        for job in result.jobs { print("  \(job)") }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pause all work of a project, including jobs submitted while it is paused.")
        @Argument var project: String
        @Option(help: "Why; kept in the jobs' history.") var note: String?
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws { try await exiting { try await ProjectsCommand.control(.pause, project: project, note: note, json: json, global: global) } }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resume a paused project (jobs paused on their own stay paused).")
        @Argument var project: String
        @Option(help: "Why; kept in the jobs' history.") var note: String?
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws { try await exiting { try await ProjectsCommand.control(.resume, project: project, note: note, json: json, global: global) } }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel every job of a project that has not ended.")
        @Argument var project: String
        @Option(help: "Why; kept in the jobs' history.") var note: String?
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws { try await exiting { try await ProjectsCommand.control(.cancel, project: project, note: note, json: json, global: global) } }
    }
}

extension ProjectsCommand {
    struct Limits: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a project's job and call-item rate limits, or set (admins) or reset them.")
        @Argument var project: String
        @Option(help: "Jobs admitted per minute (0: no limit).") var jobsPerMinute: Int?
        @Option(help: "Jobs a full bucket admits at once (default: a minute's worth).") var burst: Int?
        @Option(help: "Call-step items per minute across the project's jobs (0: no limit).") var itemsPerMinute: Int?
        @Option(help: "Items a full bucket allows at once (default: a minute's worth).") var itemsBurst: Int?
        @Flag(help: "Go back to the configured default.") var reset = false
        @Flag var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let api = try APIClient(global: global)
                let path = "/projects/\(APIClient.escape(project))/limits"
                let limits: ProjectLimits
                if reset {
                    limits = try await api.send(ProjectLimits.self, "DELETE", path, body: ControlRequest())
                } else if jobsPerMinute != nil || itemsPerMinute != nil {
                    // Whatever is not given stays as it is.
                    var body = try await api.get(ProjectLimits.self, path)
                    if let jobsPerMinute { body.jobsPerMinute = jobsPerMinute; body.jobsBurst = burst }
                    if let itemsPerMinute { body.itemsPerMinute = itemsPerMinute; body.itemsBurst = itemsBurst }
                    limits = try await api.send(ProjectLimits.self, "PUT", path, body: body)
                } else {
                    limits = try await api.get(ProjectLimits.self, path)
                }
                if json { return try HTTPJSON.print(limits) }
                print(limits.jobsPerMinute == 0 ? "project \(project): no job rate limit"
                      : "project \(project): \(limits.jobsPerMinute) jobs per minute, burst \(limits.jobsBurst ?? limits.jobsPerMinute)")
                let items = limits.itemsPerMinute ?? 0
                print(items == 0 ? "project \(project): no call-item rate limit"
                      : "project \(project): \(items) call items per minute, burst \(limits.itemsBurst ?? items)")
            }
        }
    }
}
