import CivilTime

extension PlanError {
    /// The `plan.invalid-format` error for a cast `format` the simple strptime dialect
    /// rejects, worded as plans have always worded it.
    init(_ error: StrptimeFormat.FormatError, pattern: String) {
        let detail: String
        switch error {
        case .strayPercent(let position):
            detail = "format '\(pattern)' ends with a lone '%' at position \(position)"
        case .unsupported(let directive, let position):
            // The byte-wise reader this replaces decoded a lone UTF-8 lead byte here: U+FFFD.
            let name = directive.isASCII ? String(Character(directive)) : "\u{FFFD}"
            detail = "unknown directive '%\(name)' at position \(position) in format "
                + "'\(pattern)'; supported: \(StrptimeDialect.simple.directiveList)"
        case .repeated(let directive, let position):
            // The simple dialect allows repeats; kept only so the switch is exhaustive.
            detail = "directive '%\(directive)' at position \(position) appears twice in format '\(pattern)'"
        case .missingDateFields:
            detail = "format '\(pattern)' must contain a year (%Y or %y), a month "
                + "(%m, %b or %B) and a day (%d)"
        }
        self.init(code: .invalidFormat, detail: detail)
    }
}
