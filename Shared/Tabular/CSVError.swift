/// Why a CSV stream could not be parsed.
///
/// Errors are plain values with stable `code` strings so that they can be stored with a
/// job, counted in metrics and matched by API clients without parsing prose. The
/// `message` is written for the person who uploaded the file and says what to fix.
public enum CSVError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A quoted field was still open at the end of the input.
    ///
    /// Usually a file truncated during upload, or a stray `"` at the start of a field.
    /// `line` is the physical line on which the unclosed quote opened.
    case unterminatedQuote(line: Int)

    /// A field's bytes are not valid UTF-8.
    ///
    /// Typically the file was saved as Latin-1 or Windows-1252. `line` is where the
    /// record starts and `field` the 1-based position of the offending field in it.
    case invalidUTF8(line: Int, field: Int)

    /// A stable machine-readable identifier, safe to match on and to store.
    public var code: String {
        switch self {
        case .unterminatedQuote: "csv.unterminated-quote"
        case .invalidUTF8: "csv.invalid-utf8"
        }
    }

    /// The 1-based physical line the problem is reported against.
    public var line: Int {
        switch self {
        case .unterminatedQuote(let line), .invalidUTF8(let line, _): line
        }
    }

    /// A sentence a person can act on, naming the line to look at.
    public var message: String {
        switch self {
        case .unterminatedQuote(let line):
            "The quoted field opened on line \(line) is never closed. Add the missing "
                + "closing quote (\") or double any quote that is part of the text (\"\")."
        case .invalidUTF8(let line, let field):
            "Field \(field) of the record starting on line \(line) is not valid UTF-8. "
                + "Re-save the file with UTF-8 encoding (for example \"CSV UTF-8\" in Excel), "
                + "or declare its encoding (options.encoding, sluice submit --encoding)."
        }
    }

    /// The code and message together, as they should appear in logs.
    public var description: String { "\(code): \(message)" }
}
