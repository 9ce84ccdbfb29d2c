/// Parsing of individual cron fields into `CronFieldSet`s.
///
/// Each field is a comma-separated list of items; an item is a base (`*`, `n` or
/// `a-b`) with an optional `/step`. Errors quote the whole field so the person can
/// find it in the expression they typed.
extension CronExpression {
    /// Parses one field's text into the set of values it allows.
    static func parseField(_ text: String, as kind: CronFieldKind) throws(CronError) -> CronFieldSet {
        var set = CronFieldSet()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else {
                throw .syntax(field: kind.name, text: text,
                              reason: "it has an empty list item; remove the extra comma")
            }
            try parseItem(item, of: text, as: kind, into: &set)
        }
        if kind == .dayOfWeek, set.contains(7) {
            // 7 is an alias for Sunday; fold it so matching only ever sees 0-6.
            set.remove(7)
            set.insert(0)
        }
        return set
    }

    /// Parses one list item (`*`, `n`, `a-b`, each optionally with `/step`).
    private static func parseItem(
        _ item: Substring, of field: String, as kind: CronFieldKind, into set: inout CronFieldSet
    ) throws(CronError) {
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            throw .syntax(field: kind.name, text: field, reason: "an item may have only one '/' step")
        }
        let base = parts[0]
        var step = 1
        if parts.count == 2 {
            guard let value = Int(parts[1]), value >= 1 else {
                throw .syntax(field: kind.name, text: field,
                              reason: "the step after '/' must be a whole number of at least 1")
            }
            step = value
        }

        let lower: Int
        let upper: Int
        if base == "*" {
            lower = kind.range.lowerBound
            upper = kind == .dayOfWeek ? 6 : kind.range.upperBound
        } else if let dash = base.firstIndex(of: "-") {
            lower = try parseValue(base[..<dash], of: field, as: kind)
            let end = try parseValue(base[base.index(after: dash)...], of: field, as: kind)
            // A weekday range may end on Sunday written as 0 or SUN (`FRI-SUN`): read it as 7.
            upper = kind == .dayOfWeek && end == 0 && lower > 0 ? 7 : end
            guard lower <= upper else {
                throw .syntax(field: kind.name, text: field,
                              reason: "the range \(base) runs backwards; ranges must go from low to high "
                                  + "(split a wrapping range into two, e.g. 22-23,0-2)")
            }
        } else {
            lower = try parseValue(base, of: field, as: kind)
            // "a/n" means from a to the end of the field; a bare "a" is just a.
            upper = parts.count == 2 ? max(lower, kind.stepEnd) : lower
        }

        var value = lower
        while value <= upper {
            set.insert(value)
            value += step
        }
    }

    /// Parses a number or a three-letter name and checks it against the field's range.
    private static func parseValue(
        _ text: Substring, of field: String, as kind: CronFieldKind
    ) throws(CronError) -> Int {
        guard !text.isEmpty else {
            throw .syntax(field: kind.name, text: field,
                          reason: "a range needs a value on both sides of '-', as in 1-5")
        }
        if text.allSatisfy(\.isASCIIDigitCharacter) {
            guard text.count <= 9, let value = Int(text) else {
                throw .syntax(field: kind.name, text: field, reason: "\(text) is not a usable number")
            }
            guard kind.range.contains(value) else {
                throw .outOfRange(field: kind.name, value: value, allowed: kind.range)
            }
            return value
        }
        if let value = kind.names[text.uppercased()] {
            return value
        }
        let hint = kind.names.isEmpty
            ? "only numbers, '*', '-', '/' and ',' are allowed here"
            : "expected a number or a name such as \(kind == .month ? "JAN" : "MON")"
        throw .syntax(field: kind.name, text: field, reason: "'\(text)' is not recognised; \(hint)")
    }
}

extension Character {
    /// Whether this is one of the ASCII digits 0-9 (not any Unicode numeral).
    fileprivate var isASCIIDigitCharacter: Bool {
        guard let ascii = asciiValue else { return false }
        return ascii >= UInt8(ascii: "0") && ascii <= UInt8(ascii: "9")
    }
}
