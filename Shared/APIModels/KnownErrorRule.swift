import Contracts
import Foundation

/// A known-error rule: regular expressions over a failure's error text, error type, service
/// and message type (all given ones must match; an absent one matches anything), and what
/// an incident matching it gets: severity, title, root cause, corrective action, runbook.
/// Rules are tried by ascending priority, then id; the first match wins.
public struct KnownErrorRule: Codable, Sendable, Hashable {
    /// Letters, digits, `-`, `_` and `.`, e.g. `definition-missing`.
    public var id: String
    /// A regular expression over the error text.
    public var errorPattern: String?
    /// A regular expression over the error type, e.g. `^db\.unavailable$`.
    public var errorTypePattern: String?
    /// A regular expression over the failing service's name.
    public var servicePattern: String?
    /// A regular expression over the message type.
    public var messageTypePattern: String?
    /// `critical`, `high`, `medium` or `low`.
    public var severity: String
    /// The title a matching incident gets.
    public var title: String
    /// The known root cause, shown until an operator records one.
    public var rootCause: String?
    /// The corrective action, shown until an operator records one.
    public var action: String?
    /// A link to the runbook, e.g. `docs/failures.md#job-errors`.
    public var runbook: String?
    /// Rules are tried by ascending priority (default 100), then id.
    public var priority: Int
    /// Disabled rules match nothing.
    public var enabled: Bool
    /// Shipped with Sluice (operators may still edit or disable it).
    public var builtin: Bool
    /// Bumped on every change; incidents record the version they matched.
    public var version: Int

    /// Creates the rule, field by field.
    public init(id: String, errorPattern: String? = nil, errorTypePattern: String? = nil, servicePattern: String? = nil,
                messageTypePattern: String? = nil, severity: String, title: String, rootCause: String? = nil,
                action: String? = nil, runbook: String? = nil, priority: Int = 100, enabled: Bool = true,
                builtin: Bool = false, version: Int = 1) {
        self.id = id
        self.errorPattern = errorPattern
        self.errorTypePattern = errorTypePattern
        self.servicePattern = servicePattern
        self.messageTypePattern = messageTypePattern
        self.severity = severity
        self.title = title
        self.rootCause = rootCause
        self.action = action
        self.runbook = runbook
        self.priority = priority
        self.enabled = enabled
        self.builtin = builtin
        self.version = version
    }

    /// Severities, most severe first.
    public static let severities = ["critical", "high", "medium", "low"]

    /// What a rule is matched against.
    public struct Subject: Sendable, Hashable {
        /// The failing service.
        public var service: String
        /// The message type, if known.
        public var messageType: String?
        /// The error code.
        public var errorType: String
        /// The error text (for an incident, its sample error).
        public var errorText: String

        /// Creates the value, field by field.
        public init(service: String, messageType: String?, errorType: String, errorText: String) {
            self.service = service
            self.messageType = messageType
            self.errorType = errorType
            self.errorText = errorText
        }
    }

    /// The rule with its patterns compiled, or an error naming the bad pattern.
    public func compiled() throws -> CompiledKnownError { try CompiledKnownError(self) }

    /// The priorities a rule may have.
    public static let priorities = -1_000_000...1_000_000

    /// Checks the rule: an id, a known severity, a title, a priority in range, at least one
    /// pattern, and patterns that compile.
    public func validate() throws {
        func bad(_ message: String) -> SluiceError { .permanent("known-error.invalid", message) }
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw bad("a rule id is letters, digits, '-', '_' or '.', got '\(id)'")
        }
        guard Self.severities.contains(severity) else {
            throw bad("severity must be one of \(Self.severities.joined(separator: ", ")), got '\(severity)'")
        }
        guard !title.trimmingCharacters(in: .whitespaces).isEmpty else { throw bad("a rule needs a title") }
        // Stored as a 32-bit integer; a wider value would fail in the database, not here.
        guard Self.priorities.contains(priority) else {
            throw bad("priority must be \(Self.priorities.lowerBound) to \(Self.priorities.upperBound), got \(priority)")
        }
        guard [errorPattern, errorTypePattern, servicePattern, messageTypePattern].contains(where: { !($0 ?? "").isEmpty }) else {
            throw bad("a rule needs at least one pattern (errorPattern, errorTypePattern, servicePattern, messageTypePattern)")
        }
        _ = try compiled()
    }
}

/// A rule ready to match: its regular expressions compiled once.
public struct CompiledKnownError: @unchecked Sendable {
    // NSRegularExpression is immutable and documented thread-safe.
    /// The rule as given.
    public let rule: KnownErrorRule
    private let error: NSRegularExpression?
    private let errorType: NSRegularExpression?
    private let service: NSRegularExpression?
    private let messageType: NSRegularExpression?

    init(_ rule: KnownErrorRule) throws {
        func compile(_ pattern: String?, _ field: String) throws -> NSRegularExpression? {
            guard let pattern, !pattern.isEmpty else { return nil }
            do { return try NSRegularExpression(pattern: pattern) } catch {
                throw SluiceError.permanent("known-error.invalid-pattern", "\(field) '\(pattern)' is not a valid regular expression")
            }
        }
        self.rule = rule
        error = try compile(rule.errorPattern, "errorPattern")
        errorType = try compile(rule.errorTypePattern, "errorTypePattern")
        service = try compile(rule.servicePattern, "servicePattern")
        messageType = try compile(rule.messageTypePattern, "messageTypePattern")
    }

    /// Whether every pattern finds a match in its field (patterns are searched, not
    /// anchored: add `^…$` to require the whole field).
    public func matches(_ subject: KnownErrorRule.Subject) -> Bool {
        func find(_ regex: NSRegularExpression?, _ text: String?) -> Bool {
            guard let regex else { return true }
            guard let text else { return false }
            return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        return find(error, subject.errorText) && find(errorType, subject.errorType) && find(service, subject.service)
            && find(messageType, subject.messageType)
    }

    /// The first enabled rule that matches, by priority then id.
    public static func firstMatch(_ rules: [CompiledKnownError], _ subject: KnownErrorRule.Subject) -> KnownErrorRule? {
        rules.filter { $0.rule.enabled }
            .sorted { ($0.rule.priority, $0.rule.id) < ($1.rule.priority, $1.rule.id) }
            .first { $0.matches(subject) }?.rule
    }
}
