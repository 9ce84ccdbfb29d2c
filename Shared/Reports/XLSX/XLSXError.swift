import Contracts
import Tabular
import Glibc

/// Why an XLSX file could not be written.
///
/// Errors are plain values with stable `code` strings, like `CSVError`: they can be stored
/// with a job, counted in metrics and matched without parsing prose. `message` says what
/// to do; for operating-system failures it includes the system's own text (`strerror`).
public enum XLSXError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The writer was used after `close()`, or after a failed `close()`.
    case closed
    /// `appendRow` was called before `startSheet`.
    case noSheet
    /// A row or header has more cells than Excel's 16,384 columns.
    case tooManyColumns(count: Int, limit: Int)
    /// The output file could not be created (`reason` is the system's text): check that
    /// the directory exists and is writable.
    case fileNotCreated(path: String, reason: String)
    /// Writing, seeking or closing the output file failed, for instance because the disk
    /// is full. `operation` is the system call, `reason` the system's text.
    case writeFailed(path: String, operation: String, reason: String)
    /// The ZIP layer failed: a zlib error, or entries used out of order (a bug in the
    /// caller). `operation` names the step, `reason` says what went wrong.
    case zip(operation: String, reason: String)

    /// A stable machine-readable identifier, safe to match on and to store.
    public var code: String {
        switch self {
        case .closed: "xlsx.closed"
        case .noSheet: "xlsx.no-sheet"
        case .tooManyColumns: "xlsx.too-many-columns"
        case .fileNotCreated: "xlsx.file-not-created"
        case .writeFailed: "xlsx.write-failed"
        case .zip: "xlsx.zip"
        }
    }

    /// A sentence a person can act on.
    public var message: String {
        switch self {
        case .closed:
            "The XLSX writer is already closed; create a new writer for another file."
        case .noSheet:
            "No sheet has been started; call startSheet(named:header:) before appending rows."
        case .tooManyColumns(let count, let limit):
            "A row has \(count) cells but Excel allows at most \(limit) columns. Split the "
                + "output or publish it as CSV."
        case .fileNotCreated(let path, let reason):
            "Could not create \(path): \(reason). Check that the directory exists and is writable."
        case .writeFailed(let path, let operation, let reason):
            "Writing \(path) failed in \(operation): \(reason). Check that the disk has free space."
        case .zip(let operation, let reason):
            "The ZIP archive could not be written (\(operation)): \(reason)."
        }
    }

    /// The code and message together, as they should appear in logs.
    public var description: String { "\(code): \(message)" }

    /// The system's description of `errno` value `number`, with the number, e.g.
    /// `No such file or directory (errno 2)`.
    public static func systemText(_ number: Int32) -> String {
        guard let text = strerror(number) else { return "errno \(number)" }
        return "\(String(cString: text)) (errno \(number))"
    }
}
