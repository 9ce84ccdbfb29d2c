import APIModels
import ArgumentParser
import Foundation

/// The patterns of a known-error rule as options: regular expressions searched (not
/// anchored; add `^…$` for a whole field) in a failure's error text, error type, service and
/// message type. All given ones must match; an empty value clears a pattern on update.
struct KnownErrorPatternOptions: ParsableArguments {
    @Option(name: .customLong("error"), help: "A regular expression searched in the error text.")
    var errorPattern: String?
    @Option(name: .customLong("error-type"), help: "A regular expression searched in the error type, e.g. '^plan\\.'.")
    var errorTypePattern: String?
    @Option(name: .customLong("service"), help: "A regular expression searched in the service name.")
    var servicePattern: String?
    @Option(name: .customLong("type"), help: "A regular expression searched in the message type.")
    var messageTypePattern: String?

    /// No pattern given (or only empty ones).
    var isEmpty: Bool {
        [errorPattern, errorTypePattern, servicePattern, messageTypePattern].allSatisfy { ($0 ?? "").isEmpty }
    }

    /// `draft` with these patterns over those of `base`.
    func applied(to draft: KnownErrorRule.Draft, over base: KnownErrorRule?) -> KnownErrorRule.Draft {
        var draft = draft
        draft.errorPattern = Self.pick(errorPattern, base?.errorPattern)
        draft.errorTypePattern = Self.pick(errorTypePattern, base?.errorTypePattern)
        draft.servicePattern = Self.pick(servicePattern, base?.servicePattern)
        draft.messageTypePattern = Self.pick(messageTypePattern, base?.messageTypePattern)
        return draft
    }

    /// The given value (an empty one clearing the field), else the current one.
    static func pick(_ given: String?, _ current: String?) -> String? {
        guard let given else { return current }
        return given.isEmpty ? nil : given
    }
}

/// What a known-error rule says about the incidents it matches, as options.
struct KnownErrorRuleOptions: ParsableArguments {
    @Option(help: "The title incidents matching the rule get (required for add).") var title: String?
    @Option(help: "critical, high, medium or low (required for add).") var severity: String?
    @Option(help: "The known root cause.") var rootCause: String?
    @Option(help: "The corrective action.") var action: String?
    @Option(help: "A runbook URL.") var runbook: String?
    @Option(help: "Rules are tried by ascending priority (default 100), then id; the first match wins.")
    var priority: Int?

    /// The full draft of rule `id`: these options and `patterns` over `base` (the stored rule
    /// on update, nil on add); `enabled` nil keeps the current state (on add: enabled).
    func draft(id: String, patterns: KnownErrorPatternOptions, over base: KnownErrorRule?,
               enabled: Bool?) -> KnownErrorRule.Draft {
        let draft = KnownErrorRule.Draft(
            id: id, severity: severity ?? base?.severity, title: title ?? base?.title,
            rootCause: KnownErrorPatternOptions.pick(rootCause, base?.rootCause),
            action: KnownErrorPatternOptions.pick(action, base?.action),
            runbook: KnownErrorPatternOptions.pick(runbook, base?.runbook),
            priority: priority ?? base?.priority, enabled: enabled ?? base?.enabled ?? true)
        return patterns.applied(to: draft, over: base)
    }

    /// A usage error unless the severity (when given) is one the catalog knows.
    func check() throws {
        if let severity, !KnownErrorRule.severities.contains(severity) {
            throw CLIError(code: ExitCodes.usage,
                           message: "--severity must be one of \(KnownErrorRule.severities.joined(separator: ", ")), got \(severity)")
        }
        if let title, title.trimmingCharacters(in: .whitespaces).isEmpty {
            throw CLIError(code: ExitCodes.usage, message: "--title must not be empty")
        }
    }
}
