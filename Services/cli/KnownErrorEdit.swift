import APIModels
import ArgumentParser
import Foundation

/// Adding and changing known-error rules: `sluice known-errors add ID …` POSTs a new rule;
/// `sluice known-errors update ID …` reads the stored rule, applies the options given and
/// PUTs the full rule back. Either way the service re-matches every incident that is not
/// archived.
enum KnownErrorEdit {
    /// `sluice known-errors add ID --title T --severity S --error REGEX …`: add a rule.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a rule (needs --title, --severity and at least one pattern).")

        @Argument(help: "The rule id (letters, digits, '-', '_', '.').") var id: String
        @OptionGroup var patterns: KnownErrorPatternOptions
        @OptionGroup var fields: KnownErrorRuleOptions
        @Flag(help: "Add the rule switched off.") var disabled = false
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                guard fields.title != nil, fields.severity != nil else {
                    throw CLIError(code: ExitCodes.usage, message: "a rule needs --title and --severity")
                }
                guard !patterns.isEmpty else {
                    throw CLIError(code: ExitCodes.usage,
                                   message: "a rule needs at least one pattern: --error, --error-type, --service or --type")
                }
                try fields.check()
                let draft = fields.draft(id: id, patterns: patterns, over: nil, enabled: !disabled)
                let api = try APIClient(global: global)
                let rule = try await api.send(KnownErrorRule.self, "POST", "/known-errors", body: draft)
                try KnownErrorsCommand.report(rule, verb: "added", json: json)
            }
        }
    }

    /// `sluice known-errors update ID …`: change some fields of a rule, keep the others.
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Change a rule: the options given replace those fields, the others stay ('' clears a field).")

        @Argument(help: "The rule id.") var id: String
        @OptionGroup var patterns: KnownErrorPatternOptions
        @OptionGroup var fields: KnownErrorRuleOptions
        @Flag(help: "Switch the rule on.") var enable = false
        @Flag(help: "Switch the rule off (built-in rules can only be switched off, not removed).") var disable = false
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                guard !(enable && disable) else {
                    throw CLIError(code: ExitCodes.usage, message: "give --enable or --disable, not both")
                }
                try fields.check()
                let api = try APIClient(global: global)
                let rules = try await api.get([KnownErrorRule].self, "/known-errors")
                guard let current = rules.first(where: { $0.id == id }) else {
                    throw CLIError(code: ExitCodes.usage,
                                   message: "there is no rule '\(id)'; add it with `sluice known-errors add \(id) …`")
                }
                let draft = fields.draft(id: id, patterns: patterns, over: current,
                                         enabled: enable ? true : (disable ? false : nil))
                guard [draft.errorPattern, draft.errorTypePattern, draft.servicePattern, draft.messageTypePattern]
                    .contains(where: { !($0 ?? "").isEmpty }) else {
                    throw CLIError(code: ExitCodes.usage, message: "a rule needs at least one pattern; this would clear them all")
                }
                let rule = try await api.send(KnownErrorRule.self, "PUT", KnownErrorsCommand.path(id), body: draft)
                try KnownErrorsCommand.report(rule, verb: "updated", json: json)
            }
        }
    }
}
