import Contracts
import Tabular
/// Python's `datetime.strptime` for one format, reimplemented without regexes.
///
/// frictionless reads `date`, `time` and `datetime` cells with a custom `format` through
/// `strptime`, whose behaviour is defined by the regex it builds from the format: every
/// directive is an alternation tried in order (`%d` is `3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9]`,
/// so `5` and ` 5` are days), literal text matches case-insensitively, any run of
/// whitespace in the format matches one or more whitespace characters, and the first match
/// the regex engine finds must then cover the whole input. This type compiles the format
/// once into tokens and replays that backtracking search by hand, which is both exact and
/// far cheaper per cell than `NSRegularExpression` or `DateFormatter`.
///
/// Supported directives: `%Y %y %m %d %H %I %p %M %S %f %z %j %b %B %a %A %%`. Others
/// (`%U`, `%W`, `%G`, `%V`, `%c`, `%x`, `%X`, `%Z`, …) depend on the locale or on week
/// arithmetic and are rejected when the schema is compiled.
struct StrptimePattern: Sendable, Hashable {
    /// One element of a compiled format.
    enum Token: Sendable, Hashable {
        /// A literal code point, matched ignoring case (Python compiles with `IGNORECASE`).
        case literal(Unicode.Scalar)
        /// A run of format whitespace: `\s+` in the input.
        case whitespace
        /// A `%x` directive.
        case directive(Unicode.Scalar)
    }

    /// Why a format cannot be used.
    enum FormatError: Error, Equatable {
        case strayPercent
        case unsupported(Unicode.Scalar)
        case repeated(Unicode.Scalar)
    }

    static let supportedDirectives: Set<Unicode.Scalar> = [
        "Y", "y", "m", "d", "H", "I", "p", "M", "S", "f", "z", "j", "b", "B", "a", "A", "%",
    ]

    let tokens: [Token]

    /// Compiles `format`, rejecting what Python would reject for every value (a stray
    /// `%`, a directive used twice) and the directives this port does not support.
    init(_ format: String) throws(FormatError) {
        var tokens: [Token] = []
        var seen: Set<Unicode.Scalar> = []
        let scalars = Array(format.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if PythonText.isSpace(scalar.value) {
                while index < scalars.count, PythonText.isSpace(scalars[index].value) { index += 1 }
                tokens.append(.whitespace)
                continue
            }
            index += 1
            guard scalar == "%" else { tokens.append(.literal(scalar)); continue }
            guard index < scalars.count else { throw .strayPercent }
            let directive = scalars[index]
            index += 1
            guard Self.supportedDirectives.contains(directive) else { throw .unsupported(directive) }
            if directive == "%" { tokens.append(.literal("%")); continue }
            // Python names each regex group after its directive; a repeat is a regex error.
            guard seen.insert(directive).inserted else { throw .repeated(directive) }
            tokens.append(.directive(directive))
        }
        self.tokens = tokens
    }

    /// Parses `text` as `datetime.strptime(text, format)` would, or returns `nil` where
    /// Python raises.
    func parse(_ text: String) -> StrptimeFields? {
        let input = Array(text.unicodeScalars)
        var captures: [(Unicode.Scalar, Int, Int)] = []
        guard let end = match(input, token: 0, at: 0, captures: &captures),
              end == input.count else { return nil }
        return StrptimeFields.build(input: input, captures: captures)
    }

    /// Depth-first search over the tokens, trying each directive's alternatives in regex
    /// order; returns the end of the first complete match.
    private func match(_ input: [Unicode.Scalar], token: Int, at position: Int,
                       captures: inout [(Unicode.Scalar, Int, Int)]) -> Int? {
        guard token < tokens.count else { return position }
        switch tokens[token] {
        case .literal(let expected):
            guard position < input.count, Self.sameIgnoringCase(input[position], expected)
            else { return nil }
            return match(input, token: token + 1, at: position + 1, captures: &captures)
        case .whitespace:
            var end = position
            while end < input.count, PythonText.isSpace(input[end].value) { end += 1 }
            guard end > position else { return nil }
            for candidate in stride(from: end, to: position, by: -1) {
                if let found = match(input, token: token + 1, at: candidate, captures: &captures) {
                    return found
                }
            }
            return nil
        case .directive(let directive):
            for length in StrptimeDirective.candidates(directive, input, position) {
                captures.append((directive, position, position + length))
                if let found = match(input, token: token + 1, at: position + length,
                                     captures: &captures) {
                    return found
                }
                captures.removeLast()
            }
            return nil
        }
    }

    /// `re.IGNORECASE` equality of two code points under simple case folding.
    static func sameIgnoringCase(_ lhs: Unicode.Scalar, _ rhs: Unicode.Scalar) -> Bool {
        if lhs == rhs { return true }
        return fold(lhs, lower: true) == fold(rhs, lower: true)
            || fold(lhs, lower: false) == fold(rhs, lower: false)
    }

    private static func fold(_ scalar: Unicode.Scalar, lower: Bool) -> Unicode.Scalar {
        if scalar.value < 0x80 {
            let value = UInt8(scalar.value)
            if lower, value >= 0x41, value <= 0x5A { return Unicode.Scalar(value + 32) }
            if !lower, value >= 0x61, value <= 0x7A { return Unicode.Scalar(value - 32) }
            return scalar
        }
        let mapped = lower ? scalar.properties.lowercaseMapping : scalar.properties.uppercaseMapping
        let scalars = mapped.unicodeScalars
        return scalars.count == 1 ? scalars.first! : scalar
    }
}
