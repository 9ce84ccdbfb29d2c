import APIModels
import ArgumentParser
import Foundation

/// The actions on one incident: `sluice incidents assign|start|resolve|archive|reopen|note|
/// analysis|redrive ID …`. Each POSTs to `/incidents/:id/<action>` as the signed-in user and prints
/// the incident afterwards; `redrive` sends the incident's pending dead letters back.
enum IncidentActions {
    /// Sends one lifecycle action and prints the incident it leaves.
    static func perform(_ action: String, id: String, body: some Encodable, json: Bool,
                        global: GlobalOptions) async throws {
        let api = try APIClient(global: global)
        let incident = try await api.send(Incident.self, "POST", IncidentsCommand.path(id, action), body: body)
        try IncidentsCommand.report(incident, json: json)
    }

    struct AssignBody: Encodable { var assignee: String }
    struct AnalysisBody: Encodable { var rootCause: String?; var correctiveAction: String?; var impact: String? }
    struct NoteBody: Encodable { var text: String }
    struct EmptyBody: Encodable {}

    /// `--root-cause`, `--action`, `--impact`: the operator's analysis.
    struct AnalysisOptions: ParsableArguments {
        @Option(help: "The root cause.") var rootCause: String?
        @Option(help: "The corrective action taken or planned.") var action: String?
        @Option(help: "The impact (who or what was affected, and how much).") var impact: String?

        var body: AnalysisBody { AnalysisBody(rootCause: rootCause, correctiveAction: action, impact: impact) }
        var isEmpty: Bool { rootCause == nil && action == nil && impact == nil }
    }

    /// `sluice incidents assign ID PERSON`: give the incident to someone.
    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "assign", abstract: "Assign an incident to someone.")
        @Argument(help: "The incident id.") var id: String
        @Argument(help: "Who works on it.") var person: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                try await IncidentActions.perform("assign", id: id, body: AssignBody(assignee: person),
                                                  json: json, global: global)
            }
        }
    }

    /// `sluice incidents start ID`: mark the incident as being worked on (`in_progress`).
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "start", abstract: "Mark an incident in progress.")
        @Argument(help: "The incident id.") var id: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                try await IncidentActions.perform("start", id: id, body: EmptyBody(), json: json, global: global)
            }
        }
    }

    /// `sluice incidents resolve ID`: close the incident, optionally recording the analysis.
    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resolve", abstract: "Resolve an incident (it reopens if the cause comes back).")
        @Argument(help: "The incident id.") var id: String
        @OptionGroup var analysis: AnalysisOptions
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                try await IncidentActions.perform("resolve", id: id, body: analysis.body, json: json,
                                                  global: global)
            }
        }
    }

    /// `sluice incidents archive ID`: put a resolved incident away.
    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "archive", abstract: "Archive an incident.")
        @Argument(help: "The incident id.") var id: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                try await IncidentActions.perform("archive", id: id, body: EmptyBody(), json: json, global: global)
            }
        }
    }

    /// `sluice incidents reopen ID`: open a resolved incident again (archived ones stay closed).
    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Reopen an incident.")
        @Argument(help: "The incident id.") var id: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                try await IncidentActions.perform("reopen", id: id, body: EmptyBody(), json: json, global: global)
            }
        }
    }

    /// `sluice incidents note ID TEXT`: add a note to the incident's timeline.
    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "note", abstract: "Add a note to an incident's timeline.")
        @Argument(help: "The incident id.") var id: String
        @Argument(help: "The note.") var text: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw CLIError(code: ExitCodes.usage, message: "the note is empty")
                }
                try await IncidentActions.perform("notes", id: id, body: NoteBody(text: text), json: json,
                                                  global: global)
            }
        }
    }

    /// `sluice incidents analysis ID`: record the root cause, corrective action or impact.
    struct Analysis: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "analysis", abstract: "Record an incident's root cause, corrective action or impact.")
        @Argument(help: "The incident id.") var id: String
        @OptionGroup var analysis: AnalysisOptions
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                guard !analysis.isEmpty else {
                    throw CLIError(code: ExitCodes.usage, message: "give at least one of --root-cause, --action, --impact")
                }
                try await IncidentActions.perform("analysis", id: id, body: analysis.body, json: json,
                                                  global: global)
            }
        }
    }

    /// `sluice incidents redrive ID`: send every pending dead letter of the incident back to the
    /// queue it failed in, a canary first, then at a fixed rate.
    struct RedriveIncident: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "redrive", abstract: "Re-drive an incident's pending dead letters.")
        @Argument(help: "The incident id.") var id: String
        @OptionGroup var options: RedriveOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let request = try options.request()
                let api = try APIClient(global: global)
                try await RedriveRunner(api: api, options: options).run(path: IncidentsCommand.path(id, "redrive"),
                                                                        request: request)
            }
        }
    }
}
