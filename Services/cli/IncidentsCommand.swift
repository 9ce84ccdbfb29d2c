import APIModels
import ArgumentParser
import Foundation

/// `sluice incidents …`: list and show incidents, work them through their lifecycle
/// (assign, start, resolve, archive, reopen), record notes and analysis, and re-drive their
/// dead letters.
struct IncidentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents", abstract: "List, show and work on incidents.",
        subcommands: [List.self, Show.self, IncidentActions.Assign.self, IncidentActions.Start.self,
                      IncidentActions.Resolve.self, IncidentActions.Archive.self, IncidentActions.Reopen.self,
                      IncidentActions.Note.self, IncidentActions.Analysis.self, IncidentActions.RedriveIncident.self])

    /// `sluice incidents list`: incidents, the most recently seen first, filtered by state,
    /// service, severity or text.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List incidents, the most recently seen first.")

        @Option(help: "Only this state: open, in_progress, resolved, archived.") var state: String?
        @Option(help: "Only incidents of this service.") var service: String?
        @Option(help: "Only this severity: critical, high, medium, low.") var severity: String?
        @Option(help: "Only incidents whose title or sample error contains this text.") var search: String?
        @Option(help: "At most this many (default 100).") var limit: Int?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                if let limit, limit < 1 { throw CLIError(code: ExitCodes.usage, message: "--limit must be at least 1") }
                let api = try APIClient(global: global)
                let incidents = try await api.get([Incident].self, "/incidents", query: [
                    ("state", state), ("service", service), ("severity", severity), ("q", search),
                    ("limit", limit.map { String($0) }),
                ])
                if json { return try HTTPJSON.print(incidents) }
                print(IncidentsCommand.table(incidents))
            }
        }
    }

    /// Incidents as a table for people.
    static func table(_ incidents: [Incident]) -> String {
        Table.render(incidents.map { incident in
            [incident.id, incident.state, incident.severity, String(incident.count), incident.service, incident.errorType,
             APIClient.time(incident.lastSeen), oneLine(incident.title, width: 60)]
        }, header: ["INCIDENT", "STATE", "SEVERITY", "COUNT", "SERVICE", "ERROR", "LAST SEEN", "TITLE"])
    }

    /// The incident after an action: its id, state and assignee (or all of it as JSON).
    static func report(_ incident: Incident, json: Bool) throws {
        if json { return try HTTPJSON.print(incident) }
        print(Table.render([[incident.id, incident.state, incident.assignee ?? "-"]],
                           header: ["INCIDENT", "STATE", "ASSIGNEE"]))
    }

    /// The path of an incident, or of one of its actions, with the id percent-encoded.
    static func path(_ id: String, _ action: String? = nil) -> String {
        "/incidents/" + APIClient.escape(id) + (action.map { "/" + $0 } ?? "")
    }

    /// Re-drives as a table for people.
    static func redriveTable(_ redrives: [Redrive]) -> String {
        Table.render(redrives.map { redrive in
            [redrive.id, redrive.state, String(redrive.total), String(redrive.sent), String(redrive.succeeded),
             String(redrive.failed), APIClient.number(redrive.rate), redrive.canary ? "yes" : "no", redrive.actor,
             APIClient.time(redrive.createdAt), APIClient.time(redrive.finishedAt), oneLine(redrive.stopReason, width: 50)]
        }, header: ["REDRIVE", "STATE", "TOTAL", "SENT", "SUCCEEDED", "FAILED", "RATE/S", "CANARY", "ACTOR", "STARTED",
                    "FINISHED", "STOP REASON"])
    }

    /// `sluice incidents show ID`: one incident in full — what failed and how often, what the
    /// known-error catalog and the operators know about it, its re-drive counters and its dead
    /// letters by state — then its timeline and its re-drives.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show an incident, its timeline and its re-drives.")

        @Argument(help: "The incident id.") var id: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let detail = try await APIClient(global: global).get(IncidentDetail.self, IncidentsCommand.path(id))
                if json { return try HTTPJSON.print(detail) }
                print(Table.render(Self.summary(detail), header: nil))
                print("")
                print("TIMELINE")
                print(detail.timeline.isEmpty ? "(empty)" : Self.timeline(detail.timeline))
                print("")
                print("RE-DRIVES")
                print(detail.redrives.isEmpty ? "(none)" : IncidentsCommand.redriveTable(detail.redrives))
            }
        }

        /// The incident as `label value` rows.
        static func summary(_ detail: IncidentDetail) -> [[String]] {
            let incident = detail.incident
            var rows: [[String]] = [
                ["incident", incident.id],
                ["title", oneLine(incident.title)],
                ["state", incident.state],
                ["severity", incident.severity],
                ["service", incident.service],
                ["message type", incident.messageType ?? "-"],
                ["error type", incident.errorType],
                ["sample error", oneLine(incident.sampleError)],
                ["count", String(incident.count)],
                ["first seen", APIClient.time(incident.firstSeen)],
                ["last seen", APIClient.time(incident.lastSeen)],
                ["assignee", incident.assignee ?? "-"],
                ["root cause", incident.rootCause.map { oneLine($0) } ?? "-"],
                ["corrective action", incident.correctiveAction.map { oneLine($0) } ?? "-"],
                ["impact", incident.impact.map { oneLine($0) } ?? "-"],
                ["runbook", incident.runbook ?? "-"],
                ["rule", incident.ruleId ?? "-"],
                ["reopened", String(incident.reopened)],
                ["re-drives", "\(incident.redrives) started, \(incident.redriven) messages re-driven, "
                    + "\(incident.redriveSucceeded) succeeded, \(incident.redriveFailed) failed"],
                ["dead letters", deadLetters(detail.deadLetters)],
            ]
            if let resolvedAt = incident.resolvedAt { rows.append(["resolved", APIClient.time(resolvedAt)]) }
            if let archivedAt = incident.archivedAt { rows.append(["archived", APIClient.time(archivedAt)]) }
            return rows
        }

        /// `pending 3, redriven 2`, by state name; `none` when there are none.
        static func deadLetters(_ byState: [String: Int]) -> String {
            let counts = byState.filter { $0.value > 0 }.sorted { $0.key < $1.key }
            return counts.isEmpty ? "none" : counts.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }

        /// The timeline as a table; a coalesced entry (`occurrences`) also shows its latest time.
        static func timeline(_ events: [TimelineEvent]) -> String {
            Table.render(events.map { event in
                var detail = event.detail.sorted { $0.key < $1.key }.map { "\($0.key)=\(oneLine($0.value, width: 80))" }
                if event.lastAt != event.at { detail.append("until=\(APIClient.time(event.lastAt))") }
                return [APIClient.time(event.at), event.kind, event.actor, detail.joined(separator: " ")]
            }, header: ["AT", "KIND", "ACTOR", "DETAIL"])
        }
    }
}
