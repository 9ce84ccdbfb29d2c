import Contracts
import Tabular
import CXLSXWriter

/// Why an XLSX file could not be written.
///
/// Errors are plain values with stable `code` strings, like `CSVError`: they can be stored
/// with a job, counted in metrics and matched without parsing prose. `message` says what
/// to do; for library failures it includes libxlsxwriter's own text.
public enum XLSXError: Error, Sendable, Hashable, CustomStringConvertible {
    /// libxlsxwriter could not start a workbook at `path` (usually out of memory; an
    /// unwritable path is only detected by `close()`, which then reports `fileNotCreated`).
    case cannotCreate(path: String)
    /// The writer was used after `close()`, or after a failed `close()`.
    case closed
    /// `appendRow` was called before `startSheet`.
    case noSheet
    /// A row or header has more cells than Excel's 16,384 columns.
    case tooManyColumns(count: Int, limit: Int)
    /// A sheet name was still rejected after sanitising (should not happen; kept so a
    /// library change cannot crash the publish stage).
    case invalidSheetName(name: String, status: Int32)
    /// The output file (or a temporary file) could not be created: check that the directory
    /// exists and is writable, and that the temporary directory has space.
    case fileNotCreated(path: String, status: Int32)
    /// Any other libxlsxwriter error, with the operation that returned it.
    case library(operation: String, status: Int32)

    /// A stable machine-readable identifier, safe to match on and to store.
    public var code: String {
        switch self {
        case .cannotCreate: "xlsx.cannot-create"
        case .closed: "xlsx.closed"
        case .noSheet: "xlsx.no-sheet"
        case .tooManyColumns: "xlsx.too-many-columns"
        case .invalidSheetName: "xlsx.invalid-sheet-name"
        case .fileNotCreated: "xlsx.file-not-created"
        case .library(_, let status): Self.libraryCode(status)
        }
    }

    /// A sentence a person can act on.
    public var message: String {
        switch self {
        case .cannotCreate(let path):
            "Could not start an XLSX workbook for \(path); the process may be out of memory."
        case .closed:
            "The XLSX writer is already closed; create a new writer for another file."
        case .noSheet:
            "No sheet has been started; call startSheet(named:header:) before appending rows."
        case .tooManyColumns(let count, let limit):
            "A row has \(count) cells but Excel allows at most \(limit) columns. Split the "
                + "output or publish it as CSV."
        case .invalidSheetName(let name, let status):
            "The sheet name \"\(name)\" was rejected: \(Self.libraryText(status))."
        case .fileNotCreated(let path, let status):
            "Could not write \(path): \(Self.libraryText(status)). Check that the directory "
                + "exists and is writable and that the temporary directory has free space."
        case .library(let operation, let status):
            "libxlsxwriter failed in \(operation): \(Self.libraryText(status))."
        }
    }

    /// The code and message together, as they should appear in logs.
    public var description: String { "\(code): \(message)" }

    /// The error for a non-zero `lxw_error` from `operation`.
    public static func status(_ status: lxw_error, operation: String, path: String) -> XLSXError {
        switch status {
        case LXW_ERROR_CREATING_XLSX_FILE, LXW_ERROR_CREATING_TMPFILE, LXW_ERROR_READING_TMPFILE:
            .fileNotCreated(path: path, status: Int32(status.rawValue))
        default:
            .library(operation: operation, status: Int32(status.rawValue))
        }
    }

    /// A code per family of library status.
    private static func libraryCode(_ status: Int32) -> String {
        switch lxw_error(rawValue: UInt32(bitPattern: status)) {
        case LXW_ERROR_MEMORY_MALLOC_FAILED: "xlsx.out-of-memory"
        case LXW_ERROR_ZIP_FILE_OPERATION, LXW_ERROR_ZIP_PARAMETER_ERROR, LXW_ERROR_ZIP_BAD_ZIP_FILE,
            LXW_ERROR_ZIP_INTERNAL_ERROR, LXW_ERROR_ZIP_FILE_ADD, LXW_ERROR_ZIP_CLOSE:
            "xlsx.zip"
        case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED: "xlsx.string-too-long"
        case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE: "xlsx.out-of-range"
        default: "xlsx.library"
        }
    }

    /// libxlsxwriter's description of a status.
    private static func libraryText(_ status: Int32) -> String {
        guard let text = lxw_strerror(lxw_error(rawValue: UInt32(bitPattern: status))) else {
            return "error \(status)"
        }
        return String(cString: text)
    }
}
