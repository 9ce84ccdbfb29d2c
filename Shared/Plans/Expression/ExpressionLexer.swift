import Contracts
import Tabular
/// One token of an expression, with the 1-based character position where it starts.
struct ExpressionToken: Sendable, Hashable {
    /// Keywords are matched case-insensitively (`AND`, `And` and `and` are the same).
    enum Keyword: String, Sendable, Hashable, CaseIterable {
        case and, or, not, `true`, `false`, null
    }

    /// Operators and punctuation.
    enum Symbol: String, Sendable, Hashable {
        case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", ampersand = "&"
        case openParen = "(", closeParen = ")", comma = ","
        case equal = "=", doubleEqual = "==", notEqual = "!=", angleNotEqual = "<>"
        case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    }

    enum Kind: Sendable, Hashable {
        case number(CellValue)
        case string(String)
        /// A bare name: letters, digits and `_`, not starting with a digit.
        case identifier(String)
        /// A `[bracketed]` or `` `backticked` `` name, which may contain anything.
        case quotedIdentifier(String)
        case keyword(Keyword)
        case symbol(Symbol)
        case end
    }

    let kind: Kind
    /// 1-based character position of the token's first character.
    let position: Int
    /// The token as written, for messages.
    let text: String
}

/// Splits expression text into tokens.
///
/// Strings are `'single'` or `"double"` quoted; a quote is written by doubling it
/// (`'it''s'`), as in SQL and spreadsheets; there are no backslash escapes, so Windows paths
/// and regex-like text need no care. Quoted names use `[...]` or `` `...` ``; `]]` and
/// ` `` ` stand for a literal `]` or backtick inside them.
struct ExpressionLexer {
    /// Longest expression accepted, in characters.
    static let maxLength = 4_096

    private let text: String
    private let chars: [Character]
    private var index = 0

    init(_ text: String) {
        self.text = text
        self.chars = Array(text)
    }

    /// All tokens, ending with `.end`.
    static func tokenize(_ text: String) throws(PlanError) -> [ExpressionToken] {
        var lexer = ExpressionLexer(text)
        guard lexer.chars.count <= maxLength else {
            throw lexer.error(.expressionTooComplex, "expression is \(lexer.chars.count) characters long; "
                + "the limit is \(maxLength)", at: maxLength + 1)
        }
        var tokens: [ExpressionToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private mutating func next() throws(PlanError) -> ExpressionToken {
        while index < chars.count, chars[index].isWhitespace { index += 1 }
        let start = index
        guard index < chars.count else { return ExpressionToken(kind: .end, position: start + 1, text: "") }
        let char = chars[index]
        if char.isASCII, char.isNumber || (char == "." && peekIsDigit(1)) { return try number() }
        if char == "'" || char == "\"" {
            return ExpressionToken(kind: .string(try quoted(closing: char, what: "string")),
                                   position: start + 1, text: spelling(from: start))
        }
        if char == "[" || char == "`" {
            let name = try quoted(closing: char == "[" ? "]" : "`", what: "column name")
            guard !name.isEmpty else { throw error(.syntaxError, "empty column name", at: start + 1) }
            return ExpressionToken(kind: .quotedIdentifier(name), position: start + 1, text: spelling(from: start))
        }
        if char.isLetter || char == "_" {
            while index < chars.count, chars[index].isLetter || chars[index].isNumber || chars[index] == "_" {
                index += 1
            }
            let word = spelling(from: start)
            if let keyword = ExpressionToken.Keyword(rawValue: word.lowercased()) {
                return ExpressionToken(kind: .keyword(keyword), position: start + 1, text: word)
            }
            return ExpressionToken(kind: .identifier(word), position: start + 1, text: word)
        }
        for length in [2, 1] where index + length <= chars.count {
            let candidate = String(chars[index..<index + length])
            if let symbol = ExpressionToken.Symbol(rawValue: candidate) {
                index += length
                return ExpressionToken(kind: .symbol(symbol), position: start + 1, text: candidate)
            }
        }
        throw error(.syntaxError, "unexpected character '\(char)'", at: start + 1)
    }

    private mutating func number() throws(PlanError) -> ExpressionToken {
        let start = index
        while index < chars.count, chars[index].isASCII, chars[index].isNumber { index += 1 }
        if index < chars.count, chars[index] == ".", peekIsDigit(1) || index > start {
            index += 1
            while index < chars.count, chars[index].isASCII, chars[index].isNumber { index += 1 }
        }
        if index < chars.count, chars[index] == "e" || chars[index] == "E" {
            var lookahead = index + 1
            if lookahead < chars.count, chars[lookahead] == "+" || chars[lookahead] == "-" { lookahead += 1 }
            if lookahead < chars.count, chars[lookahead].isASCII, chars[lookahead].isNumber {
                index = lookahead
                while index < chars.count, chars[index].isASCII, chars[index].isNumber { index += 1 }
            }
        }
        let spelled = spelling(from: start)
        if index < chars.count, chars[index].isLetter || chars[index] == "_" {
            throw error(.syntaxError, "a name cannot start with a digit ('\(spelled)\(chars[index])…'); "
                + "write it as [\(spelled)\(chars[index])…]", at: start + 1)
        }
        let value: CellValue
        if spelled.allSatisfy(\.isNumber), let integer = Int64(spelled) {
            value = .integer(integer)
        } else if let double = Double(spelled), double.isFinite {
            value = .number(double)
        } else {
            throw error(.syntaxError, "number '\(spelled)' is out of range", at: start + 1)
        }
        return ExpressionToken(kind: .number(value), position: start + 1, text: spelled)
    }

    /// Reads a quoted run whose closing character is escaped by doubling it.
    private mutating func quoted(closing: Character, what: String) throws(PlanError) -> String {
        let start = index
        index += 1
        var content = ""
        while index < chars.count {
            if chars[index] == closing {
                if index + 1 < chars.count, chars[index + 1] == closing {
                    content.append(closing)
                    index += 2
                    continue
                }
                index += 1
                return content
            }
            content.append(chars[index])
            index += 1
        }
        throw error(.syntaxError, "unterminated \(what) starting at position \(start + 1); "
            + "close it with \(closing)", at: start + 1, mentionPosition: false)
    }

    private func peekIsDigit(_ offset: Int) -> Bool {
        index + offset < chars.count && chars[index + offset].isASCII && chars[index + offset].isNumber
    }

    private func spelling(from start: Int) -> String { String(chars[start..<index]) }

    /// An error pointing at `position`, with the expression quoted.
    func error(_ code: PlanError.Code, _ what: String, at position: Int,
               mentionPosition: Bool = true) -> PlanError {
        ExpressionLexer.error(code, what, at: position, in: text, mentionPosition: mentionPosition)
    }

    /// Formats `what at position N in `text``, the common shape of expression errors.
    static func error(_ code: PlanError.Code, _ what: String, at position: Int, in text: String,
                      mentionPosition: Bool = true) -> PlanError {
        let shown = text.count > 120 ? String(text.prefix(117)) + "..." : text
        let place = mentionPosition ? " at position \(position)" : ""
        return PlanError(code: code, detail: "\(what)\(place) in `\(shown)`", expression: text, position: position)
    }
}
