import ArgumentParser
import Foundation

/// The actions on chosen dead letters: `sluice dead-letters redrive ID…` sends them back to
/// the queues they failed in; `sluice dead-letters discard ID… --reason T` (or
/// `--incident ID --reason T`) gives up on them, with the reason recorded.
enum DeadLetterActions {
    /// `sluice dead-letters redrive ID…`: re-drive a selection of dead letters.
    struct RedriveSelection: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "redrive", abstract: "Re-drive dead letters by id (a canary first, then at a fixed rate).")

        @Argument(help: "The dead letter ids.") var ids: [String]
        @OptionGroup var options: RedriveOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let chosen = DeadLetterActions.unique(ids)
                guard !chosen.isEmpty else { throw CLIError(code: ExitCodes.usage, message: "name at least one dead letter") }
                let request = try options.request(deadLetterIds: chosen)
                let api = try APIClient(global: global)
                try await RedriveRunner(api: api, options: options).run(path: "/dead-letters/redrive", request: request)
            }
        }
    }

    /// `sluice dead-letters discard`: discard dead letters by id, or every pending one of an
    /// incident, with a reason.
    struct Discard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "discard",
            abstract: "Discard dead letters (by id, or every pending one of an incident) with a reason.")

        @Argument(help: "The dead letter ids (or use --incident).") var ids: [String] = []
        @Option(help: "Discard every pending dead letter of this incident.") var incident: String?
        @Option(help: "Why they are discarded (recorded in the audit log and the incident's timeline).") var reason: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        /// `POST /dead-letters/discard`'s body.
        struct Body: Encodable {
            var ids: [String]
            var incidentId: String?
            var reason: String
        }

        /// Its answer: the ids discarded.
        struct Answer: Codable {
            var discarded: [String]
        }

        func run() async throws {
            try await exiting {
                let chosen = DeadLetterActions.unique(ids)
                guard !chosen.isEmpty || incident != nil else {
                    throw CLIError(code: ExitCodes.usage, message: "name dead letters or an incident (--incident ID)")
                }
                guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw CLIError(code: ExitCodes.usage, message: "say why the dead letters are discarded (--reason)")
                }
                let api = try APIClient(global: global)
                let answer = try await api.send(Answer.self, "POST", "/dead-letters/discard",
                                                body: Body(ids: chosen, incidentId: incident, reason: reason))
                if json { return try HTTPJSON.print(answer) }
                print("discarded \(answer.discarded.count) dead letter(s)")
                let missed = chosen.filter { !answer.discarded.contains($0) }
                if !missed.isEmpty {
                    RedriveRunner.say("not discarded (unknown, or not pending): \(missed.joined(separator: ", "))")
                }
            }
        }
    }

    /// `ids` without repeats, in their order.
    static func unique(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }
}
