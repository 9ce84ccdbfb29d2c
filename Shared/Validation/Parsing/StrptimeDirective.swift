import Contracts
import Tabular
/// The regex alternatives of each `strptime` directive (CPython `_strptime.TimeRE`), and
/// the conversion of matched text into date and time fields (`_strptime._strptime`).
enum StrptimeDirective {
    /// One position of an alternative: an ASCII range, `\d` (any Unicode decimal digit) or
    /// an exact character.
    private enum Atom {
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

    /// C-locale names, lower-case, in the order `TimeRE.__seqToRE` tries them (longest
    /// first, ties in calendar order). The value is the Python index of the name.
    static let names: [Unicode.Scalar: [(String, Int)]] = [
        "b": ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
            .enumerated().map { ($1, $0 + 1) },
        "B": longestFirst(["january", "february", "march", "april", "may", "june", "july",
                           "august", "september", "october", "november", "december"], base: 1),
        "a": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].enumerated().map { ($1, $0) },
        "A": longestFirst(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                           "sunday"], base: 0),
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

    /// Lengths the directive can match at `position`, in the order the regex tries them.
    static func candidates(_ directive: Unicode.Scalar, _ input: [Unicode.Scalar],
                           _ position: Int) -> [Int] {
        if let options = alternatives[directive] {
            return options.compactMap { atoms in
                matches(atoms, input, position) ? atoms.count : nil
            }
        }
        if let list = names[directive] {
            return list.compactMap { name, _ in
                let scalars = Array(name.unicodeScalars)
                guard position + scalars.count <= input.count else { return nil }
                for offset in scalars.indices
                where !StrptimePattern.sameIgnoringCase(input[position + offset], scalars[offset]) {
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
            case .digit: if PythonText.decimalDigit(scalar) == nil { return false }
            case .exact(let value): if scalar.value != value { return false }
            }
        }
        return true
    }

    /// `%z`: `[+-]\d\d:?[0-5]\d(:?[0-5]\d(\.\d{1,6})?)?|(?-i:Z)`, greedy options first.
    private static func offsetCandidates(_ input: [Unicode.Scalar], _ start: Int) -> [Int] {
        func at(_ index: Int) -> Unicode.Scalar? { index < input.count ? input[index] : nil }
        func isDigit(_ index: Int) -> Bool { at(index).map { PythonText.decimalDigit($0) != nil } ?? false }
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
}
