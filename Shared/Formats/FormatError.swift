/// Why a source file could not be read.
///
/// Like `CSVError`, errors are plain values with a stable `code` that can be stored
/// with a job, counted in metrics and matched by API clients without parsing prose;
/// `message` is written for the person who uploaded the file, names the place to look
/// (line, column, record or sheet) and says what to fix.
///
/// Readers' failures are sticky: after a reader throws, every later call throws the
/// same error, so a caller can stop at the first one.
public struct FormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem; its raw value is the stable `code`.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The bytes are not JSON: an unexpected character or a malformed value.
        case jsonSyntax = "format.json-syntax"
        /// The input ends in the middle of a JSON value (often a truncated upload).
        case jsonTruncated = "format.json-truncated"
        /// Objects or arrays are nested deeper than `FormatLimits.maxDepth`.
        case jsonTooDeep = "format.json-too-deep"
        /// An object has the same key twice; PostgreSQL and Swift disagree on which wins.
        case jsonDuplicateKey = "format.json-duplicate-key"
        /// The top level of a `json` source is not an array of objects.
        case jsonNotAnArray = "format.json-not-an-array"
        /// A record (a JSON Lines line or an array element) is not an object.
        case notAnObject = "format.not-an-object"
        /// A record has more cells than `FormatLimits.maxColumns`.
        case tooManyColumns = "format.too-many-columns"
        /// One value is longer than `FormatLimits.maxFieldBytes`.
        case fieldTooLong = "format.field-too-long"
        /// One record (a line or an array element) is longer than `FormatLimits.maxRecordBytes`.
        case recordTooLong = "format.record-too-long"
        /// The bytes are not valid UTF-8.
        case invalidUTF8 = "format.invalid-utf8"
        /// The file is not a readable XLSX workbook (not a zip, or a required part is
        /// missing or malformed).
        case xlsxInvalid = "format.xlsx-invalid"
        /// The requested sheet does not exist.
        case xlsxSheetNotFound = "format.xlsx-sheet-not-found"
        /// The workbook unpacks to more than `FormatLimits.maxUncompressedBytes`, or its
        /// shared strings exceed `FormatLimits.maxSharedStringsBytes`.
        case xlsxTooLarge = "format.xlsx-too-large"
        /// The zip holds more than `FormatLimits.maxArchiveEntries` entries.
        case xlsxTooManyEntries = "format.xlsx-too-many-entries"
        /// An entry expands more than `FormatLimits.maxCompressionRatio` times (a zip bomb).
        case xlsxCompressionRatio = "format.xlsx-compression-ratio"
    }

    /// The kind of problem, for `switch`-ing in code.
    public let kind: Kind

    /// The 1-based line, record index or sheet row the problem is reported against,
    /// when there is one (its meaning follows `SourceRow.line` for the format).
    public let line: Int?

    /// A sentence a person can act on, naming where to look.
    public let message: String

    /// Creates an error; readers use the factory functions in `FormatError+Messages`.
    public init(_ kind: Kind, line: Int? = nil, message: String) {
        self.kind = kind
        self.line = line
        self.message = message
    }

    /// A stable machine-readable identifier, safe to match on and to store.
    public var code: String { kind.rawValue }

    /// The code and message together, as they should appear in logs.
    public var description: String { "\(code): \(message)" }
}
