/// One typed cell of a row as it moves through validate, transform and publish.
///
/// CSV gives us only text; the transform stage turns text into typed values with
/// `CellValue.coerce(_:)` so rules can compare numbers as numbers, and the publish stage
/// writes them back with `csvText` or as JSON. The cases map one-to-one onto JSON values
/// so rows can be stored and sent without a bespoke schema.
public enum CellValue: Sendable, Hashable {
    /// An absent value: an empty or all-blank cell.
    case null
    /// Free text, already trimmed when it came from `coerce`.
    case string(String)
    /// A whole number that fits in 64 bits.
    case integer(Int64)
    /// A decimal or exponent number.
    case number(Double)
    /// A boolean; never produced by `coerce` (see there), only by typed sources.
    case bool(Bool)

    /// The text written into a CSV cell for this value.
    ///
    /// - `.null` is the empty string, so a null round-trips as an empty cell.
    /// - Integers print without a decimal point (`12`).
    /// - Doubles print in Swift's shortest round-trip form, which keeps a `.0` on
    ///   integral values (`3.5` → `"3.5"`, `90.0` → `"90.0"`, `1e16` → `"1e+16"`), so a
    ///   reader can still tell a measured quantity from a count. Non-finite values print
    ///   as `nan`, `inf` and `-inf`; `coerce` never produces them.
    /// - Booleans print as `true` / `false`.
    public var csvText: String {
        switch self {
        case .null: ""
        case .string(let text): text
        case .integer(let value): String(value)
        case .number(let value): value.description
        case .bool(let value): value ? "true" : "false"
        }
    }

    /// Whether this is `.null`; saves a pattern match in filters and required-field checks.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The numeric value of an `.integer` or `.number`, or `nil` for anything else.
    ///
    /// Aggregations and range rules treat both numeric cases alike; text that merely
    /// looks numeric is not converted here (that is `coerce`'s job).
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        case .null, .string, .bool: nil
        }
    }
}

extension CellValue: CustomStringConvertible, CustomDebugStringConvertible {
    /// The CSV text, so interpolating a cell into a message shows what the file shows.
    public var description: String { csvText }

    /// The case and payload (`.integer(1)` vs `.string("1")`), so logs and test
    /// failures distinguish values whose CSV text is the same.
    public var debugDescription: String {
        switch self {
        case .null: ".null"
        case .string(let text): ".string(\(String(reflecting: text)))"
        case .integer(let value): ".integer(\(value))"
        case .number(let value): ".number(\(value))"
        case .bool(let value): ".bool(\(value))"
        }
    }
}

extension CellValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral
{
    /// A `.string` literal, so tests and fixtures can write rows as `["a", 1, 2.5, true]`.
    ///
    /// There is deliberately no `nil` literal: `nil` must keep meaning "no cell" for
    /// `CellValue?`, so an empty cell is spelled `.null`.
    public init(stringLiteral value: String) { self = .string(value) }

    /// An `.integer` literal.
    public init(integerLiteral value: Int64) { self = .integer(value) }

    /// A `.number` literal.
    public init(floatLiteral value: Double) { self = .number(value) }

    /// A `.bool` literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
