import Tabular
/// One column test in a filter: `{"column": "score", "operator": ">=", "value": 50}`.
///
/// Comparisons follow the expression language (`ValueSemantics`): numbers by value, text
/// that reads as a number compares with numbers, texts exactly. A null cell matches only
/// `is_null`; every other operator is false for it, `!=` and `not_in` included. The text
/// operators (`contains`, `starts_with`, `ends_with`, `matches`) look at the cell's text,
/// case-sensitively; `matches` is true when the regular expression matches anywhere in it
/// (anchor with `^…$` for a whole-cell match).
public struct FilterRule: Sendable, Hashable, Codable {
    /// The column tested.
    public var column: String
    /// The test (`"operator"` in JSON).
    public var comparison: FilterOperator
    /// The operand: a scalar, a list for `in`/`not_in`, nothing for `is_null`/`not_null`.
    public var value: RuleOperand?

    /// Creates a rule.
    public init(column: String, _ comparison: FilterOperator, _ value: RuleOperand? = nil) {
        self.column = column
        self.comparison = comparison
        self.value = value
    }

    private enum CodingKeys: String, CodingKey {
        case column, comparison = "operator", value
    }

    /// Decodes a rule, rejecting unknown fields and unknown operators.
    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: PlanCodingKey.self)
        try PlanCodingKey.rejectUnknown(in: fields, allowed: ["column", "operator", "value"], context: "filter rule")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        column = try container.decode(String.self, forKey: .column)
        let name = try container.decode(String.self, forKey: .comparison)
        guard let comparison = FilterOperator(name: name) else {
            throw DecodingError.dataCorruptedError(forKey: .comparison, in: container, debugDescription:
                "unknown filter operator '\(name)'; operators are: "
                + FilterOperator.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.comparison = comparison
        value = try container.decodeIfPresent(RuleOperand.self, forKey: .value)
    }

    /// Encodes `column`, `operator` and `value` (when present).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(column, forKey: .column)
        try container.encode(comparison, forKey: .comparison)
        try container.encodeIfPresent(value, forKey: .value)
    }
}

/// The tests a filter rule can apply.
public enum FilterOperator: String, Sendable, Hashable, Codable, CaseIterable {
    /// Equal (`==` is accepted when decoding).
    case equal = "="
    /// Not equal (`<>` is accepted when decoding).
    case notEqual = "!="
    /// Less than.
    case less = "<"
    /// Less than or equal.
    case lessEqual = "<="
    /// Greater than.
    case greater = ">"
    /// Greater than or equal.
    case greaterEqual = ">="
    /// Equal to one of a list.
    case `in` = "in"
    /// Equal to none of a list.
    case notIn = "not_in"
    /// The text contains the value.
    case contains
    /// The text starts with the value.
    case startsWith = "starts_with"
    /// The text ends with the value.
    case endsWith = "ends_with"
    /// The cell is null.
    case isNull = "is_null"
    /// The cell is not null.
    case notNull = "not_null"
    /// The text matches a regular expression somewhere.
    case matches

    /// Reads an operator name, accepting `==` and `<>` as spellings of `=` and `!=`.
    public init?(name: String) {
        switch name {
        case "==": self = .equal
        case "<>": self = .notEqual
        default: self.init(rawValue: name)
        }
    }

    /// Whether the operator takes no value.
    public var isUnary: Bool { self == .isNull || self == .notNull }

    /// Whether the operator takes a list.
    public var takesList: Bool { self == .in || self == .notIn }
}

/// The operand of a filter rule: one JSON scalar or a list of them.
public enum RuleOperand: Sendable, Hashable, Codable {
    /// A single value.
    case scalar(CellValue)
    /// A list of values, for `in` and `not_in`.
    case list([CellValue])

    /// Decodes a JSON array as `.list`, any scalar as `.scalar`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let values = try? container.decode([CellValue].self) {
            self = .list(values)
        } else {
            self = .scalar(try container.decode(CellValue.self))
        }
    }

    /// Encodes the scalar or the array.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .scalar(let value): try container.encode(value)
        case .list(let values): try container.encode(values)
        }
    }

    /// The values, a scalar counting as a one-element list.
    public var values: [CellValue] {
        switch self {
        case .scalar(let value): [value]
        case .list(let values): values
        }
    }
}
