/// A problem found inside one JSON record, positioned by byte offset in that record.
///
/// The parser only sees the record's bytes; the reader that owns the record turns
/// the offset into a line and column of the file and builds the `FormatError`.
enum JSONFailure: Error, Sendable {
    /// Malformed JSON; the text describes what was expected.
    case syntax(at: Int, String)
    /// The record's bytes end before the value is complete.
    case endOfInput(at: Int)
    /// A container opened at `at` is deeper than the depth limit.
    case tooDeep(at: Int)
    /// The key starting at `at` already occurred in the same object.
    case duplicateKey(String, at: Int)
    /// The record is a JSON value other than an object.
    case notAnObject(found: String)
    /// The value starting at `at` (of the given top-level key) is too long.
    case fieldTooLong(key: String, at: Int)
    /// The record has more cells than the column limit.
    case tooManyColumns(count: Int)
    /// The string starting at `at` holds bytes that are not UTF-8.
    case invalidUTF8(at: Int)

    /// The byte offset the failure points at, if it has one.
    var offset: Int? {
        switch self {
        case .syntax(let at, _), .endOfInput(let at), .tooDeep(let at),
             .duplicateKey(_, let at), .fieldTooLong(_, let at), .invalidUTF8(let at):
            at
        case .notAnObject, .tooManyColumns:
            nil
        }
    }

    /// Builds the user-facing error; `place` reads like "Line 4, column 9" or
    /// "Record 3 (line 4, column 9)" and `line` is what `FormatError.line` reports.
    func formatError(place: String, line: Int, limits: FormatLimits) -> FormatError {
        switch self {
        case .syntax(_, let detail):
            FormatError(.jsonSyntax, line: line, message: "\(place): \(detail).")
        case .endOfInput:
            FormatError(.jsonTruncated, line: line, message:
                "\(place): the input ends before the JSON value is complete. The file may "
                + "have been cut off during upload; check its end and upload it again.")
        case .tooDeep:
            FormatError(.jsonTooDeep, line: line, message:
                "\(place): objects and arrays are nested more than \(limits.maxDepth) levels "
                + "deep. Flatten the record or raise the nesting limit.")
        case .duplicateKey(let key, _):
            FormatError(.jsonDuplicateKey, line: line, message:
                "\(place): the key \"\(key)\" occurs twice in the same object. Tools "
                + "disagree on which value wins, so remove one of them.")
        case .notAnObject(let found):
            FormatError(.notAnObject, line: line, message:
                "\(place): expected an object ({...}) but found \(found). Every record must "
                + "be a JSON object whose keys are the column names.")
        case .fieldTooLong(let key, _):
            FormatError(.fieldTooLong, line: line, message:
                "\(place): the value of \"\(key)\" is longer than the limit of "
                + "\(limits.maxFieldBytes) bytes. Shorten it or raise the field size limit.")
        case .tooManyColumns(let count):
            FormatError(.tooManyColumns, line: line, message:
                "\(place): the record has \(count) columns, more than the limit of "
                + "\(limits.maxColumns). Check that keys are column names, not data.")
        case .invalidUTF8:
            FormatError(.invalidUTF8, line: line, message:
                "\(place): the text is not valid UTF-8. JSON must be UTF-8; re-save the "
                + "file with UTF-8 encoding.")
        }
    }
}

/// Finds the line and column of a byte offset within a record that starts at a known
/// line and column of the file.
enum JSONPosition {
    /// Returns the 1-based line and column of `offset` in `bytes`.
    static func locate(
        _ offset: Int, in bytes: UnsafeBufferPointer<UInt8>, startLine: Int, startColumn: Int
    ) -> (line: Int, column: Int) {
        var line = startLine
        var column = startColumn
        for index in 0..<min(offset, bytes.count) {
            if bytes[index] == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
