import Contracts
import Tabular
import Foundation

/// One schema field, ready to read cells: its caster, missing values and constraints with
/// every bound and `enum` entry already cast to the field's type.
///
/// The per-cell logic mirrors frictionless's `Field.create_cell_reader`: a missing value
/// becomes null and only `required` can fail on it; otherwise the text is cast, a failed
/// cast is a type error and skips every constraint, and each failing constraint is its
/// own `constraint-error` (so a value can fail `minLength` and `pattern` at once).
///
/// A class, not a struct: rows read their fields millions of times, and a copy of this many
/// references per cell would cost more than the checks themselves.
final class CompiledField: Sendable {
    /// A constraint other than `required`/`unique`, in frictionless's checking order.
    enum Check: Sendable {
        case minLength(Int)
        case maxLength(Int)
        case minimum(TypedValue, text: String)
        case maximum(TypedValue, text: String)
        case exclusiveMinimum(TypedValue, text: String)
        case exclusiveMaximum(TypedValue, text: String)
        case pattern(PatternMatcher)
        /// Equality keys of the allowed values, and their text for messages.
        case oneOf(Set<String>, text: String)
    }

    /// The outcome of reading one cell.
    enum Reading: Sendable {
        /// The cell is absent or a missing value.
        case null
        /// The cell was cast; `failed` lists constraint violations (possibly none).
        case value(TypedValue, failed: [Violation])
        /// The text is not of the field's type.
        case typeError
    }

    /// A failed constraint and a sentence explaining it.
    struct Violation: Sendable {
        var constraint: String
        var message: String
    }

    let name: String
    let typeName: String
    let formatName: String
    let caster: FieldCaster
    let missingValues: MissingValues
    let isRequired: Bool
    let checks: [Check]

    init(name: String, typeName: String, formatName: String, caster: FieldCaster, missingValues: MissingValues,
         isRequired: Bool, checks: [Check]) {
        self.name = name
        self.typeName = typeName
        self.formatName = formatName
        self.caster = caster
        self.missingValues = missingValues
        self.isRequired = isRequired
        self.checks = checks
    }

    /// Reads `text` (`nil` when the row has no such cell).
    func read(_ text: String?) -> Reading {
        guard let text, !missingValues.contains(text) else { return .null }
        guard let value = caster.cast(text) else { return .typeError }
        if checks.isEmpty { return .value(value, failed: []) }
        var failed: [Violation] = []
        for check in checks {
            if let violation = violation(of: check, by: value, text: text) { failed.append(violation) }
        }
        return .value(value, failed: failed)
    }

    private func violation(of check: Check, by value: TypedValue, text: String) -> Violation? {
        let shown = "\"\(text)\""
        switch check {
        case .minLength(let limit):
            guard let length = value.length, length < limit else { return nil }
            return Violation(constraint: "minLength",
                message: "\(shown) has length \(length), shorter than the minimum length \(limit)")
        case .maxLength(let limit):
            guard let length = value.length, length > limit else { return nil }
            return Violation(constraint: "maxLength",
                message: "\(shown) has length \(length), longer than the maximum length \(limit)")
        case .minimum(let bound, let boundText):
            if let order = value.compare(bound), order >= 0 { return nil }
            return Violation(constraint: "minimum", message: "\(shown) is below the minimum \(boundText)"
                + comparability(value, bound))
        case .maximum(let bound, let boundText):
            if let order = value.compare(bound), order <= 0 { return nil }
            return Violation(constraint: "maximum", message: "\(shown) is above the maximum \(boundText)"
                + comparability(value, bound))
        case .exclusiveMinimum(let bound, let boundText):
            if let order = value.compare(bound), order > 0 { return nil }
            return Violation(constraint: "exclusiveMinimum",
                message: "\(shown) is not greater than the exclusive minimum \(boundText)"
                + comparability(value, bound))
        case .exclusiveMaximum(let bound, let boundText):
            if let order = value.compare(bound), order < 0 { return nil }
            return Violation(constraint: "exclusiveMaximum",
                message: "\(shown) is not less than the exclusive maximum \(boundText)"
                + comparability(value, bound))
        case .pattern(let matcher):
            guard case .string(let string) = value, !matcher.matches(string) else { return nil }
            return Violation(constraint: "pattern",
                message: "\(shown) does not match the pattern \"\(matcher.source)\"")
        case .oneOf(let allowed, let allowedText):
            if let key = value.equalityKey, allowed.contains(key) { return nil }
            return Violation(constraint: "enum", message: "\(shown) is not one of the allowed values \(allowedText)")
        }
    }

    /// Explains failures that are not about magnitude (NaN, naive against aware).
    private func comparability(_ value: TypedValue, _ bound: TypedValue) -> String {
        value.compare(bound) == nil ? " (the two values cannot be compared)" : ""
    }
}

/// The texts that make a cell missing (`null`), compared as frictionless does:
/// `str(cell) in missing_values`, an exact code-point comparison without trimming.
///
/// Lookups happen for every cell of a million-row file, so the common lists are
/// special-cased: the default `[""]` is an emptiness test, and other short lists compare
/// byte counts before bytes. Swift's `Set<String>` is deliberately not used: it treats
/// canonically equivalent strings (`"é"` and `"e\u{301}"`) as equal, Python does not.
struct MissingValues: Sendable, Hashable {
    private let values: [String]
    private let onlyEmpty: Bool
    private let lengths: Set<Int>

    /// Creates the matcher for an effective `missingValues` list.
    init(_ values: [String]) {
        self.values = values
        onlyEmpty = values == [""]
        lengths = Set(values.map { $0.utf8.count })
    }

    /// Whether `text` is one of the missing values.
    @inline(__always)
    func contains(_ text: String) -> Bool {
        if onlyEmpty { return text.utf8.isEmpty }
        let count = text.utf8.count
        guard lengths.contains(count) else { return false }
        return values.contains { $0.utf8.count == count && $0.utf8.elementsEqual(text.utf8) }
    }
}

/// A `pattern` constraint compiled the way frictionless compiles it: the text
/// `"^" + pattern + "$"` (not grouped, so `a|b` means "starts with a or ends with b", as
/// in frictionless), matched with `re.match` (anchored at the start).
///
/// Python `re` syntax is mapped onto ICU's where they differ in spelling — named groups
/// `(?P<name>…)` and `(?P=name)`, and `\Z` (end of input only, ICU's `\z`) — and ICU is
/// told that only `\n` ends a line, so `.` and `$` behave like Python's (`$` also matches
/// before one final newline). Other differences between the two engines (possessive
/// quantifiers, Unicode property classes) follow ICU.
final class PatternMatcher: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented as thread-safe.
    private let expression: NSRegularExpression
    /// The pattern as written in the schema.
    let source: String

    /// Compiles `pattern`; throws when ICU rejects it.
    init(_ pattern: String) throws {
        source = pattern
        expression = try NSRegularExpression(
            pattern: "^" + Self.translate(pattern) + "$",
            options: [.useUnixLineSeparators])
    }

    /// Whether `text` matches, with `re.match` semantics.
    func matches(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, options: [.anchored], range: range) != nil
    }

    /// Rewrites the Python-only spellings outside character classes.
    static func translate(_ pattern: String) -> String {
        var output = ""
        var scalars = Array(pattern.unicodeScalars)[...]
        var inClass = false
        while let scalar = scalars.popFirst() {
            if scalar == "\\", let next = scalars.first {
                scalars.removeFirst()
                if !inClass, next == "Z" { output += "\\z"; continue }
                output.unicodeScalars.append(scalar)
                output.unicodeScalars.append(next)
                continue
            }
            if inClass {
                if scalar == "]" { inClass = false }
                output.unicodeScalars.append(scalar)
                continue
            }
            if scalar == "[" {
                inClass = true
                output.unicodeScalars.append(scalar)
                // A leading `]` (or `^]`) is literal inside a class.
                if scalars.first == "^" { output += "^"; scalars.removeFirst() }
                if scalars.first == "]" { output += "\\]"; scalars.removeFirst() }
                continue
            }
            if scalar == "(", scalars.starts(with: "?P<".unicodeScalars) {
                scalars.removeFirst(3)
                output += "(?<"
                continue
            }
            if scalar == "(", scalars.starts(with: "?P=".unicodeScalars),
               let close = scalars.firstIndex(of: ")") {
                let name = String(String.UnicodeScalarView(scalars[scalars.index(scalars.startIndex, offsetBy: 3)..<close]))
                scalars = scalars[scalars.index(after: close)...]
                output += "\\k<" + name + ">"
                continue
            }
            output.unicodeScalars.append(scalar)
        }
        return output
    }
}
