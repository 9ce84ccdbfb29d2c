import Contracts
import Tabular
/// A parsed expression of the plan language, e.g. `round(score * 1.1, 1)` or
/// `status = 'withdrawn' or is_null(score)`.
///
/// Parsing checks syntax, function names, argument counts and the size limits, and throws
/// a `PlanError` with the 1-based character position of the first problem. Column names
/// are resolved separately by `bind(columns:)`, because which columns exist depends on
/// where in a plan the expression is used.
///
/// Values follow SQL-like null rules: arithmetic and comparisons with null give null, `and`
/// and `or` use three-valued logic (`false and null` is false, `true or null` is true), and
/// a filter treats a null result as "no match". Text that reads as a number (`" 42 "`)
/// takes part in arithmetic and in comparisons with numbers, so raw CSV text works without
/// a cast; other mismatches (`'a' * 2`) are evaluation errors reported per row.
public struct PlanExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let text: String
    let syntax: ExpressionSyntax

    /// Parses `text`; throws `plan.syntax-error`, `plan.unknown-function`, `plan.arity`,
    /// `plan.invalid-argument` or `plan.expression-too-complex` with a position.
    public init(_ text: String) throws(PlanError) {
        self.text = text
        self.syntax = try ExpressionParser.parse(text)
    }

    /// The names of the columns the expression reads, in order of first appearance.
    public var columnNames: [String] {
        var seen = Set<String>()
        return syntax.columnReferences.map(\.name).filter { seen.insert($0).inserted }
    }

    /// The expression as written.
    public var description: String { text }

    /// Resolves column names against `columns`, so that `evaluate` reads `row[index]`.
    ///
    /// Throws `plan.unknown-column` naming the first unknown column, its position, a
    /// close match if there is one, and the available columns.
    public func bind(columns: [String]) throws(PlanError) -> BoundExpression {
        var slots: [String: Int] = [:]
        for (index, name) in columns.enumerated() where slots[name] == nil { slots[name] = index }
        return try bind(columns: columns) { slots[$0] }
    }

    /// Resolves names with `slot`, which maps a visible column to its row index; `visible`
    /// lists the columns for error messages.
    func bind(columns visible: [String], slot: (String) -> Int?) throws(PlanError) -> BoundExpression {
        let text = self.text
        let node = try syntax.bind { (name: String, position: Int) throws(PlanError) -> Int in
            if let index = slot(name) { return index }
            throw PlanExpression.unknownColumn(name, at: position, in: text, columns: visible)
        }
        return BoundExpression(node: node, text: text)
    }

    /// The `plan.unknown-column` error for an expression.
    static func unknownColumn(_ name: String, at position: Int, in text: String, columns: [String]) -> PlanError {
        var error = ExpressionLexer.error(.unknownColumn, "unknown column '\(name)'", at: position, in: text)
        if let suggestion = Suggestions.closest(to: name, among: columns) {
            error.detail += "; did you mean '\(suggestion)'"
            if suggestion.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
                error.detail += " (write it as [\(suggestion)])"
            }
            error.detail += "?"
        }
        error.detail += "; columns at this step are: " + Suggestions.list(columns)
        return error
    }
}

/// An expression whose column references are resolved to row indices; cheap to evaluate
/// and safe to share across threads.
public struct BoundExpression: Sendable, Hashable {
    /// The resolved tree.
    indirect enum Node: Sendable, Hashable {
        case literal(CellValue)
        case column(Int, name: String)
        case negate(Node)
        case identity(Node)
        case not(Node)
        case and(Node, Node)
        case or(Node, Node)
        case concat(Node, Node)
        case arithmetic(ExpressionSyntax.BinaryOperator, Node, Node)
        case compare(ExpressionSyntax.BinaryOperator, Node, Node)
        case call(ExpressionFunction, [Node])
    }

    let node: Node
    /// The expression as written, for error messages.
    public let text: String

    /// Evaluates the expression over `row`, whose indices are the ones bound.
    ///
    /// A cell index past the end of `row` reads as null. Throws `ExpressionError` for type
    /// errors (`'a' * 2`), never traps.
    public func evaluate(_ row: [CellValue]) throws(ExpressionError) -> CellValue {
        try node.evaluate(row)
    }
}

/// Why an expression could not be evaluated for one row.
public struct ExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for a person (`'*' needs numbers, but got text 'a'`).
    public var message: String
    /// The offending value's text, if one value is to blame.
    public var value: String?

    /// Creates an evaluation error.
    public init(message: String, value: String? = nil) {
        self.message = message
        self.value = value
    }

    /// The message.
    public var description: String { message }
}
