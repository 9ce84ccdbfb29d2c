/// What each directive can match at a position of the input, per dialect, and the
/// character classes the matching uses.
///
/// For ``StrptimeDialect/python`` these are the regex alternatives of CPython's
/// `_strptime.TimeRE` (every length the alternation could match, in the order the regex
/// engine tries them); for ``StrptimeDialect/simple`` the single greedy match.
extension StrptimeFormat {
    /// One position of a regex alternative: an ASCII range, `\d` (any Unicode decimal
    /// digit) or an exact character.
    private enum Atom: Sendable {
        case range(UInt32, UInt32)
        case digit
        case exact(UInt32)
    }

    private static let r01 = Atom.range(0x30, 0x31), r12 = Atom.range(0x31, 0x32)
    private static let r19 = Atom.range(0x31, 0x39), r05 = Atom.range(0x30, 0x35)
    private static let r02 = Atom.range(0x30, 0x32), r03 = Atom.range(0x30, 0x33)
    private static let d = Atom.digit
    private static func c(_ scalar: Unicode.Scalar) -> Atom { .exact(scalar.value) }

    /// Alternatives in regex order, e.g. `%d` = `3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9]`.
    private static let alternatives: [Unicode.Scalar: [[Atom]]] = [
        "d": [[c("3"), r01], [r12, d], [c("0"), r19], [r19], [c(" "), r19]],
        "H": [[c("2"), r03], [r01, d], [d]],
        "I": [[c("1"), r02], [c("0"), r19], [r19]],
        "j": [[c("3"), c("6"), .range(0x30, 0x36)], [c("3"), r05, d], [r12, d, d],
              [c("0"), r19, d], [c("0"), c("0"), r19], [r19, d], [c("0"), r19], [r19]],
        "m": [[c("1"), r02], [c("0"), r19], [r19]],
        "M": [[r05, d], [d]],
        "S": [[c("6"), r01], [r05, d], [d]],
        "y": [[d, d]],
        "Y": [[d, d, d, d]],
    ]

    /// English month names, lower-case, January first (the C locale's, which both
    /// dialects read and strftime writes capitalised).
    static let monthNames = ["january", "february", "march", "april", "may", "june", "july",
                             "august", "september", "october", "november", "december"]
    /// English weekday names, lower-case, Monday first.
    static let weekdayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// ``StrptimeDialect/python``'s name lists in the order `TimeRE.__seqToRE` tries them
    /// (longest first, ties in calendar order); the value is Python's index of the name.
    static let pythonNames: [Unicode.Scalar: [(String, Int)]] = [
        "b": monthNames.map { String($0.prefix(3)) }.enumerated().map { ($1, $0 + 1) },
        "B": longestFirst(monthNames, base: 1),
        "a": weekdayNames.map { String($0.prefix(3)) }.enumerated().map { ($1, $0) },
        "A": longestFirst(weekdayNames, base: 0),
        "p": [("am", 0), ("pm", 1)],
    ]

    private static func longestFirst(_ list: [String], base: Int) -> [(String, Int)] {
        list.enumerated().map { ($1, $0 + base) }
            .enumerated().sorted { lhs, rhs in
                lhs.element.0.count != rhs.element.0.count
                    ? lhs.element.0.count > rhs.element.0.count : lhs.offset < rhs.offset
            }
            .map(\.element)
    }

    /// ``StrptimeDialect/python``: the lengths `directive` can match at `position`, in
    /// the order the regex tries them.
    static func pythonCandidates(_ directive: Unicode.Scalar, _ input: [Unicode.Scalar],
                                 _ position: Int) -> [Int] {
        if let options = alternatives[directive] {
            return options.compactMap { atoms in
                matches(atoms, input, position) ? atoms.count : nil
            }
        }
        if let list = pythonNames[directive] {
            return list.compactMap { name, _ in
                let scalars = Array(name.unicodeScalars)
                guard position + scalars.count <= input.count else { return nil }
                for offset in scalars.indices where !sameIgnoringCase(input[position + offset], scalars[offset]) {
                    return nil
                }
                return scalars.count
            }
        }
        switch directive {
        case "f":
            var count = 0
            while count < 6, position + count < input.count,
                  (0x30...0x39).contains(input[position + count].value) { count += 1 }
            return Array(stride(from: count, to: 0, by: -1))
        case "z": return offsetCandidates(input, position)
        default: return []
        }
    }

    private static func matches(_ atoms: [Atom], _ input: [Unicode.Scalar], _ position: Int) -> Bool {
        guard position + atoms.count <= input.count else { return false }
        for (offset, atom) in atoms.enumerated() {
            let scalar = input[position + offset]
            switch atom {
            case .range(let low, let high): if !(low...high).contains(scalar.value) { return false }
            case .digit: if pythonDecimalDigit(scalar) == nil { return false }
            case .exact(let value): if scalar.value != value { return false }
            }
        }
        return true
    }

    /// `%z`: `[+-]\d\d:?[0-5]\d(:?[0-5]\d(\.\d{1,6})?)?|(?-i:Z)`, greedy options first.
    private static func offsetCandidates(_ input: [Unicode.Scalar], _ start: Int) -> [Int] {
        func at(_ index: Int) -> Unicode.Scalar? { index < input.count ? input[index] : nil }
        func isDigit(_ index: Int) -> Bool { at(index).map { pythonDecimalDigit($0) != nil } ?? false }
        func isSixty(_ index: Int) -> Bool {
            guard let scalar = at(index) else { return false }
            return (0x30...0x35).contains(scalar.value) && isDigit(index + 1)
        }
        if at(start) == "Z" { return [1] }
        guard at(start) == "+" || at(start) == "-", isDigit(start + 1), isDigit(start + 2)
        else { return [] }
        var result: [Int] = []
        for colon in (at(start + 3) == ":" ? [1, 0] : [0]) {
            let minutes = start + 3 + colon
            guard isSixty(minutes) else { continue }
            let afterMinutes = minutes + 2
            for colon2 in (at(afterMinutes) == ":" ? [1, 0] : [0]) {
                let seconds = afterMinutes + colon2
                guard isSixty(seconds) else { continue }
                let afterSeconds = seconds + 2
                if at(afterSeconds) == "." {
                    var count = 0
                    while count < 6, isDigit(afterSeconds + 1 + count) { count += 1 }
                    for digits in stride(from: count, to: 0, by: -1) {
                        result.append(afterSeconds + 1 + digits - start)
                    }
                }
                result.append(afterSeconds - start)
            }
            result.append(afterMinutes - start)
        }
        return result
    }

    /// ``StrptimeDialect/simple``: the one length `directive` matches at `position`, or
    /// `nil`. `%Y` takes exactly four ASCII digits and `%y` exactly two; the other numbers
    /// take one or two, greedily; `%b` and `%B` take a full English month name or, failing
    /// that, its first three letters, in any ASCII letter case.
    static func simpleCandidate(_ directive: Unicode.Scalar, _ input: [Unicode.Scalar],
                                _ position: Int) -> Int? {
        switch directive {
        case "Y": return asciiDigits(input, position, min: 4, max: 4)
        case "y": return asciiDigits(input, position, min: 2, max: 2)
        case "b", "B":
            let lower = input[position...].prefix(9).map(asciiLowercased)
            if let name = monthNames.first(where: { lower.starts(with: $0.unicodeScalars) }) {
                return name.unicodeScalars.count
            }
            return monthNames.contains { lower.starts(with: $0.unicodeScalars.prefix(3)) } ? 3 : nil
        default: return asciiDigits(input, position, min: 1, max: 2)
        }
    }

    /// The month (1–12) a ``simpleCandidate(_:_:_:)`` name match denotes.
    static func simpleMonth(_ text: ArraySlice<Unicode.Scalar>) -> Int? {
        let lower = text.map(asciiLowercased)
        if let index = monthNames.firstIndex(where: { lower.elementsEqual($0.unicodeScalars) }) { return index + 1 }
        return monthNames.firstIndex { lower.elementsEqual($0.unicodeScalars.prefix(3)) }.map { $0 + 1 }
    }

    /// How many ASCII digits (at most `max`) start at `position`, or `nil` if fewer than `min`.
    private static func asciiDigits(_ input: [Unicode.Scalar], _ position: Int, min: Int, max: Int) -> Int? {
        var count = 0
        while count < max, position + count < input.count, (0x30...0x39).contains(input[position + count].value) {
            count += 1
        }
        return count >= min ? count : nil
    }

    private static func asciiLowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        (0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(UInt8(scalar.value) + 0x20) : scalar
    }

    /// `str.isspace()` (and `re`'s `\s`) for one code point: Unicode White_Space plus the
    /// separators U+001C–U+001F, which Python (unlike Swift) treats as whitespace.
    static func isPythonSpace(_ value: UInt32) -> Bool {
        switch value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A,
            0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// The value of a Unicode decimal digit (category Nd: `re`'s `\d`, what `int()`
    /// accepts), or `nil`.
    static func pythonDecimalDigit(_ scalar: Unicode.Scalar) -> Int? {
        let value = scalar.value
        if value < 0x80 {
            return value >= 0x30 && value <= 0x39 ? Int(value - 0x30) : nil
        }
        guard scalar.properties.numericType == .decimal,
              let number = scalar.properties.numericValue else { return nil }
        return Int(number)
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
