import Contracts
import Tabular
/// A recursive-descent parser from tokens to `ExpressionSyntax`.
///
/// Grammar (EBNF), loosest binding first:
///
///     expression     = disjunction ;
///     disjunction    = conjunction , { "or" , conjunction } ;
///     conjunction    = negation , { "and" , negation } ;
///     negation       = "not" , negation | comparison ;
///     comparison     = concatenation , [ compare-op , concatenation ] ;
///     compare-op     = "=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">=" ;
///     concatenation  = additive , { "&" , additive } ;
///     additive       = multiplicative , { ( "+" | "-" ) , multiplicative } ;
///     multiplicative = unary , { ( "*" | "/" | "%" ) , unary } ;
///     unary          = ( "-" | "+" ) , unary | primary ;
///     primary        = number | string | "true" | "false" | "null"
///                    | name , "(" , [ expression , { "," , expression } ] , ")"
///                    | name | quoted-name | "(" , expression , ")" ;
///
/// Binary operators associate to the left; comparisons do not chain (`a < b < c` is a
/// syntax error suggesting `and`). Parsing is bounded: nesting (parentheses, calls, prefix
/// operators) is capped at `maxNesting` and the finished tree at `maxDepth` levels.
struct ExpressionParser {
    /// Deepest nesting of parentheses, calls and prefix operators while parsing.
    static let maxNesting = 64
    /// Deepest finished tree; long operator chains count one level per operator.
    static let maxDepth = 256

    private let text: String
    private let tokens: [ExpressionToken]
    private var index = 0
    private var nesting = 0

    /// Parses `text` completely, checking function names, argument counts and limits.
    static func parse(_ text: String) throws(PlanError) -> ExpressionSyntax {
        var parser = ExpressionParser(text: text, tokens: try ExpressionLexer.tokenize(text))
        guard parser.current.kind != .end else {
            throw PlanError(code: .syntaxError, detail: "expression is empty", expression: text, position: 1)
        }
        let syntax = try parser.disjunction().syntax
        guard parser.current.kind == .end else {
            throw parser.error(.syntaxError, "unexpected \(parser.describe(parser.current)); "
                + "expected an operator or the end of the expression", at: parser.current)
        }
        return syntax
    }

    /// A parsed subtree and its depth, tracked as the tree is built so that no recursive
    /// walk over a possibly huge tree is needed to enforce `maxDepth`.
    private typealias Parsed = (syntax: ExpressionSyntax, depth: Int)

    private init(text: String, tokens: [ExpressionToken]) {
        self.text = text
        self.tokens = tokens
    }

    private var current: ExpressionToken { tokens[index] }

    private mutating func advance() -> ExpressionToken {
        defer { if index < tokens.count - 1 { index += 1 } }
        return tokens[index]
    }

    /// Builds a binary node, refusing trees deeper than `maxDepth`.
    private func binary(_ op: ExpressionSyntax.BinaryOperator, _ lhs: Parsed, _ rhs: Parsed,
                        _ token: ExpressionToken) throws(PlanError) -> Parsed {
        let depth = max(lhs.depth, rhs.depth) + 1
        guard depth <= ExpressionParser.maxDepth else {
            throw error(.expressionTooComplex, "expression is more than \(ExpressionParser.maxDepth) operations "
                + "deep; split it into several derive steps", at: token)
        }
        return (.binary(op, lhs.syntax, rhs.syntax, position: token.position), depth)
    }

    private mutating func disjunction() throws(PlanError) -> Parsed {
        var lhs = try conjunction()
        while current.kind == .keyword(.or) {
            let op = advance()
            lhs = try binary(.or, lhs, try conjunction(), op)
        }
        return lhs
    }

    private mutating func conjunction() throws(PlanError) -> Parsed {
        var lhs = try negation()
        while current.kind == .keyword(.and) {
            let op = advance()
            lhs = try binary(.and, lhs, try negation(), op)
        }
        return lhs
    }

    private mutating func negation() throws(PlanError) -> Parsed {
        guard current.kind == .keyword(.not) else { return try comparison() }
        let op = advance()
        try enter(op)
        defer { nesting -= 1 }
        let operand = try negation()
        return (.unary(.not, operand.syntax, position: op.position), operand.depth + 1)
    }

    private mutating func comparison() throws(PlanError) -> Parsed {
        let lhs = try concatenation()
        guard let op = comparisonOperator(current) else { return lhs }
        let token = advance()
        let result = try binary(op, lhs, try concatenation(), token)
        if comparisonOperator(current) != nil {
            throw error(.syntaxError, "comparisons cannot be chained; combine them with 'and' "
                + "(a < b and b < c)", at: current)
        }
        return result
    }

    private func comparisonOperator(_ token: ExpressionToken) -> ExpressionSyntax.BinaryOperator? {
        guard case .symbol(let symbol) = token.kind else { return nil }
        switch symbol {
        case .equal, .doubleEqual: return .equal
        case .notEqual, .angleNotEqual: return .notEqual
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        default: return nil
        }
    }

    private mutating func concatenation() throws(PlanError) -> Parsed {
        var lhs = try additive()
        while current.kind == .symbol(.ampersand) {
            let op = advance()
            lhs = try binary(.concat, lhs, try additive(), op)
        }
        return lhs
    }

    private mutating func additive() throws(PlanError) -> Parsed {
        var lhs = try multiplicative()
        while current.kind == .symbol(.plus) || current.kind == .symbol(.minus) {
            let op = advance()
            lhs = try binary(op.kind == .symbol(.plus) ? .add : .subtract, lhs, try multiplicative(), op)
        }
        return lhs
    }

    private mutating func multiplicative() throws(PlanError) -> Parsed {
        var lhs = try unary()
        while true {
            let kind: ExpressionSyntax.BinaryOperator
            switch current.kind {
            case .symbol(.star): kind = .multiply
            case .symbol(.slash): kind = .divide
            case .symbol(.percent): kind = .remainder
            default: return lhs
            }
            let op = advance()
            lhs = try binary(kind, lhs, try unary(), op)
        }
    }

    private mutating func unary() throws(PlanError) -> Parsed {
        guard current.kind == .symbol(.minus) || current.kind == .symbol(.plus) else { return try primary() }
        let op = advance()
        try enter(op)
        defer { nesting -= 1 }
        let operand = try unary()
        if op.kind == .symbol(.minus), case .literal(let value, _) = operand.syntax {
            switch value {
            case .integer(let number) where number != .min: return (.literal(.integer(-number), position: op.position), 1)
            case .number(let number): return (.literal(.number(-number), position: op.position), 1)
            default: break
            }
        }
        let kind: ExpressionSyntax.UnaryOperator = op.kind == .symbol(.minus) ? .negate : .plus
        return (.unary(kind, operand.syntax, position: op.position), operand.depth + 1)
    }

    private mutating func primary() throws(PlanError) -> Parsed {
        let token = advance()
        switch token.kind {
        case .number(let value): return (.literal(value, position: token.position), 1)
        case .string(let value): return (.literal(.string(value), position: token.position), 1)
        case .keyword(.true): return (.literal(.bool(true), position: token.position), 1)
        case .keyword(.false): return (.literal(.bool(false), position: token.position), 1)
        case .keyword(.null): return (.literal(.null, position: token.position), 1)
        case .quotedIdentifier(let name): return (.column(name, position: token.position), 1)
        case .identifier(let name):
            guard current.kind == .symbol(.openParen) else { return (.column(name, position: token.position), 1) }
            return try call(name, token)
        case .symbol(.openParen):
            try enter(token)
            defer { nesting -= 1 }
            let inner = try disjunction()
            guard current.kind == .symbol(.closeParen) else {
                throw error(.syntaxError, "missing ')' to close the '(' at position \(token.position); "
                    + "found \(describe(current))", at: current)
            }
            _ = advance()
            return inner
        case .end:
            throw error(.syntaxError, "expression ends where a value was expected", at: token)
        default:
            throw error(.syntaxError, "expected a value, column or function call but found "
                + describe(token), at: token)
        }
    }

    private mutating func call(_ name: String, _ token: ExpressionToken) throws(PlanError) -> Parsed {
        guard let function = ExpressionFunction(name: name) else {
            let hint = ExpressionFunction.suggestion(for: name).map { "; did you mean '\($0)'?" }
                ?? "; functions are: " + ExpressionFunction.allCases.map(\.name).joined(separator: ", ")
            throw error(.unknownFunction, "unknown function '\(name)'", at: token, hint: hint)
        }
        let open = advance()
        try enter(open)
        defer { nesting -= 1 }
        var arguments: [ExpressionSyntax] = []
        var depth = 1
        if current.kind != .symbol(.closeParen) {
            repeat {
                if !arguments.isEmpty { _ = advance() }
                let argument = try disjunction()
                arguments.append(argument.syntax)
                depth = max(depth, argument.depth + 1)
            } while current.kind == .symbol(.comma)
        }
        guard depth <= ExpressionParser.maxDepth else {
            throw error(.expressionTooComplex, "expression is more than \(ExpressionParser.maxDepth) operations "
                + "deep; split it into several derive steps", at: token)
        }
        guard current.kind == .symbol(.closeParen) else {
            throw error(.syntaxError, "expected ',' or ')' in the call to \(function.name)() but found "
                + describe(current), at: current)
        }
        _ = advance()
        let count = arguments.count
        if count < function.minimumArguments || count > (function.maximumArguments ?? .max) {
            throw error(.arity, "\(function.name)() takes \(function.arityDescription), got \(count)",
                        at: token, hint: "; call it as \(function.signature)")
        }
        if function == .dateDiff, case .literal(let unit, let position) = arguments[0] {
            guard case .string(let text) = unit, ExpressionFunction.dateUnits.contains(text.lowercased()) else {
                throw ExpressionLexer.error(.invalidArgument, "date_diff() unit must be 'days', 'months' or "
                    + "'years', not \(unit.debugDescription)", at: position, in: self.text)
            }
        }
        return (.call(function, arguments, position: token.position), depth)
    }

    private mutating func enter(_ token: ExpressionToken) throws(PlanError) {
        nesting += 1
        guard nesting <= ExpressionParser.maxNesting else {
            throw error(.expressionTooComplex, "expression nests more than \(ExpressionParser.maxNesting) "
                + "levels deep", at: token)
        }
    }

    private func describe(_ token: ExpressionToken) -> String {
        token.kind == .end ? "the end of the expression" : "'\(token.text)'"
    }

    private func error(_ code: PlanError.Code, _ what: String, at token: ExpressionToken,
                       hint: String = "") -> PlanError {
        var error = ExpressionLexer.error(code, what, at: token.position, in: text)
        error.detail += hint
        return error
    }
}
