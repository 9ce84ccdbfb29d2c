import Foundation

/// Cleans up header names so that every column has a usable, unique name.
///
/// Applied at ingest, before validation maps columns to the job's schema:
///
/// 1. Names are trimmed and runs of internal whitespace (spaces, tabs, line breaks)
///    collapse to one space: `"  First \t Name "` → `"First Name"`.
/// 2. With `snakeCase`, names become lower-case words joined by `_`: accents are
///    folded (`"Élève"` → `"eleve"`, `"Straße"` → `"strasse"`), camel case is split
///    (`"StudentID"` → `"student_id"`, `"HTTPStatus"` → `"http_status"`), and anything
///    that is not a letter or digit separates words and is dropped
///    (`"Final Grade (%)"` → `"final_grade"`). Letters of other scripts are kept.
/// 3. A name left empty becomes `column_N`, N being its 1-based position.
/// 4. Repeated names get `_2`, `_3`, … in order of appearance; a suffix never takes a
///    name that occurs elsewhere in the header, so `["a", "a", "a_2"]` becomes
///    `["a", "a_3", "a_2"]`, and a generated `column_N` yields to a real column of
///    that name. Comparison is exact (case-sensitive).
///
/// A pure value: the same input always gives the same output.
public struct HeaderStandardizer: Sendable, Hashable {
    /// Whether names are turned into snake_case.
    public var snakeCase: Bool

    /// Creates a standardizer; by default names are only trimmed and de-duplicated.
    public init(snakeCase: Bool = false) {
        self.snakeCase = snakeCase
    }

    /// Standardizes a whole header; `nil` names count as empty.
    public func standardize(_ names: [String?]) -> [String] {
        let base = names.map { name in
            snakeCase ? Self.snakeCased(name ?? "") : Self.collapsed(name ?? "")
        }
        // Names from the file win over generated ones and over suffixed duplicates.
        let reserved = Set(base.filter { !$0.isEmpty })
        var used: Set<String> = []
        return base.enumerated().map { position, cleaned in
            let name = cleaned.isEmpty ? "column_\(position + 1)" : cleaned
            let claimable = !cleaned.isEmpty || !reserved.contains(name)
            if claimable, used.insert(name).inserted { return name }
            var suffix = 2
            while reserved.contains("\(name)_\(suffix)") || used.contains("\(name)_\(suffix)") {
                suffix += 1
            }
            let unique = "\(name)_\(suffix)"
            used.insert(unique)
            return unique
        }
    }

    /// Standardizes a whole header given as non-optional names.
    public func standardize(_ names: [String]) -> [String] {
        standardize(names.map { Optional($0) })
    }

    /// Trims a name and collapses internal whitespace runs to a single space.
    public static func collapsed(_ name: String) -> String {
        name.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The snake_case form of one name (empty if it has no letters or digits).
    public static func snakeCased(_ name: String) -> String {
        var words: [String] = []
        var word = ""
        var previous: Character?
        let characters = Array(folded(name))
        for (index, character) in characters.enumerated() {
            guard character.isLetter || character.isNumber else {
                if !word.isEmpty { words.append(word) }
                word = ""
                previous = nil
                continue
            }
            if let previous, !word.isEmpty, startsWord(character, after: previous,
                                                       before: characters.dropFirst(index + 1).first) {
                words.append(word)
                word = ""
            }
            word.append(contentsOf: character.lowercased())
            previous = character
        }
        if !word.isEmpty { words.append(word) }
        return words.joined(separator: "_")
    }

    /// Whether `character` begins a new camel-case word.
    private static func startsWord(_ character: Character, after previous: Character, before next: Character?) -> Bool {
        guard character.isUppercase else { return false }
        if previous.isLowercase || previous.isNumber { return true }
        // The last capital of an acronym starts the next word: "HTTPStatus" → http|status.
        if previous.isUppercase, let next, next.isLowercase { return true }
        return false
    }

    /// Removes accents and spells out letters that have no decomposition.
    public static func folded(_ name: String) -> String {
        let decomposed = name.decomposedStringWithCanonicalMapping
        var result = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if let spelled = spelledOut[scalar] {
                result.append(contentsOf: spelled.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Latin letters that canonical decomposition leaves alone.
    private static let spelledOut: [Unicode.Scalar: String] = [
        "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
        "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH",
        "ı": "i", "ħ": "h", "Ħ": "H",
    ]
}
