/// A compiled `strptime` format (`%d/%m/%Y`), which reads date and time text
/// (``parse(_:)``) and writes it (``format(_:)``, i.e. `strftime`).
///
/// The format is compiled once into tokens — literal characters, whitespace runs and
/// directives — and each ``parse(_:)`` replays a depth-first search over them by hand,
/// which is both exact and far cheaper per cell than `NSRegularExpression` or
/// `DateFormatter`. What the tokens match, and which formats compile at all, depends on
/// the ``StrptimeDialect``:
///
/// - in ``StrptimeDialect/python`` the search is CPython's: every directive is the
///   alternation `_strptime.TimeRE` builds, tried in regex order, and the first match the
///   regex engine would find must cover the whole input;
/// - in ``StrptimeDialect/simple`` every token has at most one way to match (greedy, no
///   backtracking), so the search is a single left-to-right pass.
///
/// Compilation rejects what would fail for every input: a stray `%`, a directive the
/// dialect does not support, a repeated directive (Python) or a missing year, month or
/// day (simple). ``FormatError`` carries the 1-based UTF-8 byte position of the `%` so
/// callers can word their own messages.
public struct StrptimeFormat: Sendable, Hashable {
    /// Why a format cannot be compiled.
    public enum FormatError: Error, Sendable, Hashable {
        /// The format ends with a `%` that introduces no directive; `position` is the
        /// 1-based UTF-8 byte offset of that `%`.
        case strayPercent(position: Int)
        /// `%` is followed by a character the dialect does not support (`%Q`, `%é`);
        /// `position` is the 1-based UTF-8 byte offset of the `%`.
        case unsupported(Unicode.Scalar, position: Int)
        /// A directive appears twice (``StrptimeDialect/python`` only: Python names each
        /// regex group after its directive); `position` is that of the second `%`.
        case repeated(Unicode.Scalar, position: Int)
        /// The format lacks a year (`%Y`, `%y`), a month (`%m`, `%b`, `%B`) or a day (`%d`)
        /// (``StrptimeDialect/simple`` only).
        case missingDateFields
    }

    /// One element of a compiled format.
    enum Token: Sendable, Hashable {
        /// A literal code point (``StrptimeDialect/python`` matches it ignoring case).
        case literal(Unicode.Scalar)
        /// A run of format whitespace.
        case whitespace
        /// A `%x` directive other than `%%`.
        case directive(Unicode.Scalar)
    }

    /// A directive's match: the directive and the input range it covered.
    typealias Capture = (directive: Unicode.Scalar, start: Int, end: Int)

    /// The format as written.
    public let pattern: String
    /// The dialect the format was compiled for.
    public let dialect: StrptimeDialect
    /// The compiled tokens.
    let tokens: [Token]

    /// Compiles `pattern` for `dialect`, or throws the first problem found scanning from
    /// the left (a missing date field is reported only for an otherwise valid format).
    public init(_ pattern: String, dialect: StrptimeDialect) throws(FormatError) {
        var tokens: [Token] = []
        var seen: Set<Unicode.Scalar> = []
        let scalars = Array(pattern.unicodeScalars)
        var index = 0
        var bytesBefore = 0 // UTF-8 bytes of the format before `scalars[index]`
        while index < scalars.count {
            let scalar = scalars[index]
            if dialect.isFormatSpace(scalar) {
                while index < scalars.count, dialect.isFormatSpace(scalars[index]) {
                    bytesBefore += UTF8.width(scalars[index])
                    index += 1
                }
                tokens.append(.whitespace)
                continue
            }
            let position = bytesBefore + 1
            index += 1
            bytesBefore += UTF8.width(scalar)
            guard scalar == "%" else { tokens.append(.literal(scalar)); continue }
            guard index < scalars.count else { throw .strayPercent(position: position) }
            let directive = scalars[index]
            index += 1
            bytesBefore += UTF8.width(directive)
            guard dialect.supports(directive) else { throw .unsupported(directive, position: position) }
            if directive == "%" { tokens.append(.literal("%")); continue }
            if dialect == .python {
                guard seen.insert(directive).inserted else { throw .repeated(directive, position: position) }
            }
            tokens.append(.directive(directive))
        }
        if dialect == .simple {
            func has(_ directives: Unicode.Scalar...) -> Bool {
                directives.contains { tokens.contains(.directive($0)) }
            }
            guard has("Y", "y"), has("m", "b", "B"), has("d") else { throw .missingDateFields }
        }
        self.pattern = pattern
        self.dialect = dialect
        self.tokens = tokens
    }

    /// Reads `text` with this format — in ``StrptimeDialect/python`` exactly as
    /// `datetime.strptime(text, format)` would — or returns `nil` where the dialect
    /// rejects it (no match, or a date or time that does not exist). The whole text must
    /// match; it is not trimmed.
    public func parse(_ text: String) -> StrptimeMatch? {
        let input = Array(text.unicodeScalars)
        var captures: [Capture] = []
        guard let end = match(input, token: 0, at: 0, captures: &captures), end == input.count
        else { return nil }
        switch dialect {
        case .python: return StrptimeMatch.python(input, captures)
        case .simple: return StrptimeMatch.simple(input, captures)
        }
    }

    /// Depth-first search over the tokens, trying each token's candidate lengths in the
    /// dialect's order; returns the end of the first complete match.
    private func match(_ input: [Unicode.Scalar], token: Int, at position: Int,
                       captures: inout [Capture]) -> Int? {
        guard token < tokens.count else { return position }
        switch tokens[token] {
        case .literal(let expected):
            guard position < input.count else { return nil }
            let matches = dialect == .python
                ? Self.sameIgnoringCase(input[position], expected) : input[position] == expected
            guard matches else { return nil }
            return match(input, token: token + 1, at: position + 1, captures: &captures)
        case .whitespace:
            var end = position
            while end < input.count, dialect.isInputSpace(input[end]) { end += 1 }
            guard dialect == .python else {
                // Zero or more, greedy, no backtracking.
                return match(input, token: token + 1, at: end, captures: &captures)
            }
            // `\s+`: at least one, longest first.
            guard end > position else { return nil }
            for candidate in stride(from: end, to: position, by: -1) {
                if let found = match(input, token: token + 1, at: candidate, captures: &captures) {
                    return found
                }
            }
            return nil
        case .directive(let directive):
            switch dialect {
            case .python:
                for length in Self.pythonCandidates(directive, input, position) {
                    captures.append((directive, position, position + length))
                    if let found = match(input, token: token + 1, at: position + length, captures: &captures) {
                        return found
                    }
                    captures.removeLast()
                }
                return nil
            case .simple:
                guard let length = Self.simpleCandidate(directive, input, position) else { return nil }
                captures.append((directive, position, position + length))
                if let found = match(input, token: token + 1, at: position + length, captures: &captures) {
                    return found
                }
                captures.removeLast()
                return nil
            }
        }
    }
}
