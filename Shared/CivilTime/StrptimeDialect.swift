/// Which `strptime` behaviour a ``StrptimeFormat`` follows.
///
/// Sluice reads dates with a format in two places whose users were promised different
/// things, and both promises are kept:
///
/// - Table Schema validation must agree with frictionless, i.e. with CPython's
///   `datetime.strptime`, quirks included: ``python``.
/// - Processing-plan casts (`"format": "%d/%m/%Y"`) promise a small, predictable reader:
///   ``simple``.
///
/// How they differ, directive by directive:
///
/// | | ``python`` | ``simple`` |
/// |---|---|---|
/// | directives | `%Y %y %m %d %H %I %p %M %S %f %z %j %b %B %a %A %%` | `%Y %y %m %b %B %d %H %M %S %%` |
/// | whitespace in the format | any run of Python whitespace matches one or more whitespace characters | a run of spaces matches zero or more spaces or tabs |
/// | other format characters | match ignoring case (Unicode simple folding) | match exactly |
/// | numbers | CPython's regex alternatives, tried in order with backtracking (`%d` is `3[01]\|[12]\d\|0[1-9]\|[1-9]\| [1-9]`); Unicode digits count | 1–2 ASCII digits read greedily (`%Y` exactly 4, `%y` exactly 2), no backtracking |
/// | `%b` / `%B` | three-letter abbreviation / full English name only | either form for both (the full name preferred) |
/// | missing fields | year 1900, January, day 1, midnight | the format must contain a year, a month and a day |
/// | a directive used twice | rejected (``StrptimeFormat/FormatError/repeated(_:position:)``) | allowed; the last one wins |
/// | results | microseconds (`%f`) and offsets (`%z`) | whole seconds, naive |
///
/// Both require the whole input to match (neither trims it; callers trim first where
/// their contract says so), both read two-digit years 00–68 as 2000–2068 and 69–99 as
/// 1969–1999, and both reject days that do not exist and years outside 1–9999.
public enum StrptimeDialect: Sendable, Hashable, CaseIterable {
    /// CPython's `datetime.strptime` reimplemented without regexes (frictionless' reader).
    case python
    /// The greedy, exact reader of processing-plan casts.
    case simple

    /// The characters this dialect accepts after `%`, in the order error messages list
    /// them (`%` itself stands for a literal percent sign).
    public var supportedDirectives: [Unicode.Scalar] {
        switch self {
        case .python:
            return ["Y", "y", "m", "d", "H", "I", "p", "M", "S", "f", "z", "j", "b", "B", "a", "A", "%"]
        case .simple:
            return ["Y", "y", "m", "b", "B", "d", "H", "M", "S", "%"]
        }
    }

    /// The supported directives written out for a message, space-separated in the order
    /// of ``supportedDirectives``: `%Y %y %m %b %B %d %H %M %S %%` for ``simple``.
    public var directiveList: String {
        supportedDirectives.map { "%" + String(Character($0)) }.joined(separator: " ")
    }

    /// Whether `%` followed by `directive` is supported.
    public func supports(_ directive: Unicode.Scalar) -> Bool {
        switch self {
        case .python:
            switch directive {
            case "Y", "y", "m", "d", "H", "I", "p", "M", "S", "f", "z", "j", "b", "B", "a", "A", "%": return true
            default: return false
            }
        case .simple:
            switch directive {
            case "Y", "y", "m", "b", "B", "d", "H", "M", "S", "%": return true
            default: return false
            }
        }
    }

    /// Whether a format character belongs to a whitespace token: any Python whitespace
    /// for ``python``, only the ASCII space for ``simple`` (a tab is a literal there).
    func isFormatSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch self {
        case .python: return StrptimeFormat.isPythonSpace(scalar.value)
        case .simple: return scalar == " "
        }
    }

    /// Whether an input character can be matched by a whitespace token: Python's `\s`
    /// for ``python``, a space or a tab for ``simple``.
    func isInputSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch self {
        case .python: return StrptimeFormat.isPythonSpace(scalar.value)
        case .simple: return scalar == " " || scalar == "\t"
        }
    }
}
