import APIModels
import ArgumentParser
import Consuming
import Foundation

/// `sluice dead-letters …`: search the dead letters (and failed jobs) the incident service
/// stored, show one with its fault headers and body, re-drive a selection, and discard
/// some with a reason.
struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters", abstract: "Search, show, re-drive and discard dead letters.",
        subcommands: [List.self, Show.self, DeadLetterActions.RedriveSelection.self,
                      DeadLetterActions.Discard.self])

    /// `sluice dead-letters list`: stored failures, the most recent first, filtered by
    /// incident, job, correlation id, service, message type, error, state, time or header.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Search dead letters, the most recent first.")

        @Option(help: "Only those filed under this incident.") var incident: String?
        @Option(help: "Only this job's.") var job: String?
        @Option(help: "Only this correlation id.") var correlation: String?
        @Option(help: "Only those that failed in this service.") var service: String?
        @Option(name: .customLong("type"), help: "Only this message type, e.g. chunk.transform.") var messageType: String?
        @Option(help: "Only this error type (stable code), e.g. plan.not-found.") var errorType: String?
        @Option(name: .customLong("error"), help: "Only those whose error text contains this (any case).")
        var errorText: String?
        @Option(help: "Only this state: pending, redriving, redriven, redrive-failed, discarded, recorded.")
        var state: String?
        @Option(help: "Only those received at or after this ISO-8601 time, e.g. 2026-11-23T10:00:00Z.") var since: String?
        @Option(help: "Only those received before this ISO-8601 time.") var until: String?
        @Option(help: "Only those with this header value: name=value, e.g. x-sluice-job-id=job-1.") var header: String?
        @Option(help: "At most this many (default 100).") var limit: Int?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                if let limit, limit < 1 { throw CLIError(code: ExitCodes.usage, message: "--limit must be at least 1") }
                if let header, !header.contains("=") && !header.contains(":") {
                    throw CLIError(code: ExitCodes.usage, message: "--header expects name=value, got \(header)")
                }
                let failures = try await APIClient(global: global).get([StoredFailure].self, "/dead-letters", query: [
                    ("incident", incident), ("job", job), ("correlation", correlation), ("service", service),
                    ("type", messageType), ("error-type", errorType), ("error", errorText), ("state", state),
                    ("since", since), ("until", until), ("header", header), ("limit", limit.map { String($0) }),
                ])
                if json { return try HTTPJSON.print(failures) }
                print(DeadLettersCommand.table(failures))
            }
        }
    }

    /// Dead letters as a table for people.
    static func table(_ failures: [StoredFailure]) -> String {
        Table.render(failures.map { failure in
            [failure.id, failure.state, failure.service, failure.messageType ?? "-", failure.errorType,
             String(failure.attempts), failure.jobId ?? "-", APIClient.time(failure.receivedAt),
             oneLine(failure.errorText, width: 60)]
        }, header: ["ID", "STATE", "SERVICE", "TYPE", "ERROR TYPE", "ATTEMPTS", "JOB", "RECEIVED", "ERROR"])
    }

    /// The path of a dead letter, with the id percent-encoded.
    static func path(_ id: String) -> String { "/dead-letters/" + APIClient.escape(id) }

    /// `sluice dead-letters show ID`: one dead letter — the fault headers that explain the
    /// failure (service, handler, error, context, attempts, where it came from and where a
    /// re-drive sends it), then every header, and with `--body` the message body
    /// (pretty-printed when it is JSON).
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a dead letter: its failure, its headers and (with --body) its body.")

        @Argument(help: "The dead letter id.") var id: String
        @Flag(help: "Also print the message body (pretty-printed when it is JSON).") var body = false
        @Flag(help: "Print JSON (the whole dead letter, body included).") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let detail = try await APIClient(global: global).get(DeadLetterDetail.self, DeadLettersCommand.path(id))
                if json { return try HTTPJSON.print(detail) }
                print(Table.render(Self.faults(detail), header: nil))
                print("")
                print("HEADERS")
                print(detail.headers.isEmpty ? "(none)" : Table.render(
                    detail.headers.sorted { $0.key < $1.key }.map { [$0.key, oneLine($0.value)] }, header: ["NAME", "VALUE"]))
                if body {
                    print("")
                    print("BODY (\(detail.bodyBytes) bytes)")
                    print(Self.pretty(detail.body))
                }
            }
        }

        /// The failure as `label value` rows; fault headers first, the stored columns where a
        /// header is missing.
        static func faults(_ detail: DeadLetterDetail) -> [[String]] {
            let failure = detail.failure
            let headers = detail.headers
            func text(_ value: String?) -> String {
                guard let value, !value.isEmpty else { return "-" }
                return oneLine(value)
            }
            return [
                ["id", failure.id],
                ["state", failure.state + (failure.stateReason.map { " (\(oneLine($0)))" } ?? "")],
                ["kind", failure.kind],
                ["incident", text(failure.incidentId)],
                ["service", text(headers[FaultHeader.service] ?? failure.service)],
                ["handler", text(headers[FaultHeader.handler])],
                ["message type", text(failure.messageType)],
                ["message id", text(failure.messageId)],
                ["job", text(failure.jobId)],
                ["correlation", text(failure.correlationId)],
                ["error type", text(headers[FaultHeader.errorType] ?? failure.errorType)],
                ["error", text(headers[FaultHeader.errorText] ?? failure.errorText)],
                ["context", text(detail.errorContext ?? headers[FaultHeader.errorContext])],
                ["disposition", text(headers[FaultHeader.disposition])],
                ["attempts", headers[FaultHeader.attempts] ?? String(failure.attempts)],
                ["original exchange", text(detail.originalExchange ?? headers[FaultHeader.originalExchange])],
                ["original routing key", text(detail.originalRoutingKey ?? headers[FaultHeader.originalRoutingKey])],
                ["queue", text(failure.queue)],
                ["target queue", text(detail.targetQueue ?? headers[FaultHeader.queue])],
                ["first failure", text(detail.firstFailure ?? headers[FaultHeader.firstFailure])],
                ["last failure", text(detail.lastFailure ?? headers[FaultHeader.lastFailure])],
                ["redrive count", String(failure.redriveCount)],
                ["received", APIClient.time(failure.receivedAt)],
                ["body", "\(detail.bodyBytes) bytes"],
            ]
        }

        /// `text` pretty-printed when it is a JSON object or array, else as it is.
        static func pretty(_ text: String) -> String {
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
                  JSONSerialization.isValidJSONObject(object),
                  let data = try? JSONSerialization.data(withJSONObject: object,
                                                         options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            else { return text }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
