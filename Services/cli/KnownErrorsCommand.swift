import APIModels
import ArgumentParser
import Foundation

/// `sluice known-errors …`: the known-error catalog — rules that give matching incidents a
/// severity, a title, a root cause, a corrective action and a runbook. List, add, update and
/// remove rules (every change re-matches the incidents that are not archived), or test
/// patterns on stored failures first.
struct KnownErrorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "known-errors", abstract: "List, add, change, remove and test known-error rules.",
        subcommands: [List.self, KnownErrorEdit.Add.self, KnownErrorEdit.Update.self, Remove.self, Test.self])

    /// `sluice known-errors list`: every rule, in the order they are tried.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the rules in the order they are tried.")

        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let rules = try await APIClient(global: global).get([KnownErrorRule].self, "/known-errors")
                    .sorted { ($0.priority, $0.id) < ($1.priority, $1.id) }
                if json { return try HTTPJSON.print(rules) }
                print(Table.render(rules.map { rule in
                    [rule.id, rule.enabled ? "yes" : "no", rule.severity, String(rule.priority),
                     KnownErrorsCommand.matches(rule), oneLine(rule.title, width: 60)]
                }, header: ["ID", "ENABLED", "SEVERITY", "PRIORITY", "MATCHES", "TITLE"]))
            }
        }
    }

    /// `sluice known-errors remove ID`: delete a rule (built-in rules can only be disabled).
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Delete a rule (built-in ones can only be disabled).")

        @Argument(help: "The rule id.") var id: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                try await APIClient(global: global).call("DELETE", KnownErrorsCommand.path(id))
                print("removed \(id); incidents that are not archived were matched again")
            }
        }
    }

    /// A rule's patterns as `field~/regex/`, e.g. `error-type~/^plan\./ service~/transform/`.
    static func matches(_ rule: KnownErrorRule) -> String {
        let patterns: [(String, String?)] = [("error", rule.errorPattern), ("error-type", rule.errorTypePattern),
                                             ("service", rule.servicePattern), ("type", rule.messageTypePattern)]
        return patterns.compactMap { item -> String? in
            guard let pattern = item.1, !pattern.isEmpty else { return nil }
            return "\(item.0)~/\(pattern)/"
        }.joined(separator: " ")
    }

    /// A rule after a change: one line, or the rule as JSON.
    static func report(_ rule: KnownErrorRule, verb: String, json: Bool) throws {
        if json { return try HTTPJSON.print(rule) }
        print("\(verb) \(rule.id) (version \(rule.version), \(rule.enabled ? "enabled" : "disabled"), "
            + "\(rule.severity)): \(matches(rule)); incidents that are not archived were matched again")
    }

    /// The path of a rule, with the id percent-encoded.
    static func path(_ id: String) -> String { "/known-errors/" + APIClient.escape(id) }

    /// `sluice known-errors test --error REGEX …`: try patterns on the most recent stored
    /// failures without saving a rule, and show how many match, under which incidents, and
    /// some of the matching failures.
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test", abstract: "Try patterns on the most recent stored failures without saving a rule.")

        @OptionGroup var patterns: KnownErrorPatternOptions
        @Option(help: "Examine at most this many of the most recent failures (default 10000).") var limit: Int?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        /// The answer of `POST /known-errors/test` (the service's own type is internal).
        struct TestResult: Codable {
            /// Failures examined (the most recent ones, up to the limit).
            var examined: Int
            var matched: Int
            /// Matching failures per incident.
            var incidents: [String: Int]
            /// Some of the matching failures.
            var samples: [StoredFailure]
        }

        func run() async throws {
            try await exiting {
                guard !patterns.isEmpty else {
                    throw CLIError(code: ExitCodes.usage, message: "give at least one pattern: --error, --error-type, --service or --type")
                }
                if let limit, limit < 1 { throw CLIError(code: ExitCodes.usage, message: "--limit must be at least 1") }
                // Severity and title do not take part in matching, but a rule is checked whole.
                let draft = patterns.applied(to: KnownErrorRule.Draft(id: "test", severity: "medium", title: "test"), over: nil)
                let result = try await APIClient(global: global).send(
                    TestResult.self, "POST", "/known-errors/test", body: draft, query: [("limit", limit.map { String($0) })])
                if json { return try HTTPJSON.print(result) }
                print("examined \(result.examined) failure(s), \(result.matched) matched")
                if !result.incidents.isEmpty {
                    print("")
                    print(Table.render(result.incidents.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                        .map { [$0.key, String($0.value)] }, header: ["INCIDENT", "MATCHES"]))
                }
                if !result.samples.isEmpty {
                    print("")
                    print(result.samples.count < result.matched
                          ? "SAMPLES (\(result.samples.count) of \(result.matched))" : "SAMPLES")
                    print(DeadLettersCommand.table(result.samples))
                }
            }
        }
    }
}
