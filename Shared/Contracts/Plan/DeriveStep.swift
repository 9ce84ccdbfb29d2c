import Tabular
/// Parameters of a `derive` step: set a column to the value of an expression.
///
///     {"op": "derive", "column": "pass", "expression": "score >= 50"}
///
/// A new column is added at the end; an existing one is overwritten in place.
public struct DeriveStep: Sendable, Hashable {
    /// The column to create or overwrite.
    public var column: String
    /// The expression (see `PlanExpression`).
    public var expression: String
    /// What to do with a row whose evaluation fails; default `drop`.
    public var onError: ErrorPolicy

    /// Creates derive parameters.
    public init(column: String, expression: String, onError: ErrorPolicy = .drop) {
        self.column = column
        self.expression = expression
        self.onError = onError
    }
}
