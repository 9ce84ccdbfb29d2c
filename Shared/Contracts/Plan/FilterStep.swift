import Tabular
/// Parameters of a `filter` step: which rows to keep or delete.
///
///     {"op": "filter", "delete": {"any": [
///         {"column": "status", "operator": "=", "value": "withdrawn"},
///         {"column": "score", "operator": "is_null"}]}}
///     {"op": "filter", "keep": "score >= 50 and not is_null(student_id)"}
///
/// A condition that is null for a row (a comparison with a null cell) does not match, so
/// `keep` removes the row and `delete` keeps it. Removed rows are counted in
/// `PlanResult.filtered`. A row whose expression fails to evaluate is removed and reported
/// (`expression-error`), counted in `dropped`.
public struct FilterStep: Sendable, Hashable {
    /// Whether matching rows are kept (`"keep"`) or deleted (`"delete"`).
    public var mode: FilterMode
    /// The condition rows are matched against.
    public var condition: FilterCondition

    /// Creates filter parameters.
    public init(_ mode: FilterMode, _ condition: FilterCondition) {
        self.mode = mode
        self.condition = condition
    }
}

/// Whether a filter keeps or deletes the rows that match.
public enum FilterMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Keep matching rows, remove the rest.
    case keep
    /// Remove matching rows, keep the rest.
    case delete
}

/// A filter condition: a rule, an expression, or an `all`/`any` group of conditions, which
/// may nest.
///
/// In JSON a condition is a string (an expression), an object with `"column"` (a rule), or
/// an object with exactly one of `"all"` and `"any"` holding a list of conditions. An empty
/// `all` matches every row and an empty `any` none, as in logic; the compiler rejects both
/// as probable mistakes.
public indirect enum FilterCondition: Sendable, Hashable, Codable {
    /// Matches when every condition matches.
    case all([FilterCondition])
    /// Matches when at least one condition matches.
    case any([FilterCondition])
    /// One column rule.
    case rule(FilterRule)
    /// An expression that must evaluate to true.
    case expression(String)

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case all, any
    }

    /// Decodes a string, a rule object, or an `all`/`any` group.
    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self = .expression(text)
            return
        }
        let keys = try decoder.container(keyedBy: PlanCodingKey.self)
        let hasAll = keys.contains(PlanCodingKey("all")), hasAny = keys.contains(PlanCodingKey("any"))
        guard hasAll || hasAny else {
            self = .rule(try FilterRule(from: decoder))
            return
        }
        guard keys.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                "a condition group has exactly one field, \"all\" or \"any\", but this one has: "
                + keys.allKeys.map(\.stringValue).sorted().joined(separator: ", ")))
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if hasAll {
            self = .all(try container.decode([FilterCondition].self, forKey: .all))
        } else {
            self = .any(try container.decode([FilterCondition].self, forKey: .any))
        }
    }

    /// Encodes the same shapes it decodes.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .expression(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .rule(let rule):
            try rule.encode(to: encoder)
        case .all(let conditions):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(conditions, forKey: .all)
        case .any(let conditions):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(conditions, forKey: .any)
        }
    }
}

extension FilterCondition {
    /// Every expression text in the condition, nested groups included (for early syntax checks).
    public var expressions: [String] {
        switch self {
        case .all(let items), .any(let items): items.flatMap(\.expressions)
        case .rule: []
        case .expression(let text): [text]
        }
    }
}
