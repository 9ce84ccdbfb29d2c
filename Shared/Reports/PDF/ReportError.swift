import Contracts
import Tabular
import CCairo

/// Why a PDF report or PNG chart could not be rendered.
///
/// Errors are plain values with stable `code` strings; `message` includes cairo's own text.
public enum ReportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// cairo could not create the surface (out of memory, or an invalid size).
    case surfaceFailed(status: Int32)
    /// Drawing or finishing the document failed with a cairo status.
    case renderFailed(status: Int32)
    /// The output grew past the in-memory limit.
    case outputTooLarge(limit: Int)

    /// A stable machine-readable identifier, safe to match on and to store.
    public var code: String {
        switch self {
        case .surfaceFailed: "report.surface-failed"
        case .renderFailed: "report.render-failed"
        case .outputTooLarge: "report.output-too-large"
        }
    }

    /// A sentence a person can act on.
    public var message: String {
        switch self {
        case .surfaceFailed(let status):
            "Could not create the drawing surface: \(Self.cairoText(status))."
        case .renderFailed(let status):
            "Drawing the report failed: \(Self.cairoText(status))."
        case .outputTooLarge(let limit):
            "The rendered output exceeded \(limit) bytes; lower the report's chart and table caps."
        }
    }

    /// The code and message together, as they should appear in logs.
    public var description: String { "\(code): \(message)" }

    /// cairo's description of a status.
    private static func cairoText(_ status: Int32) -> String {
        guard let text = cairo_status_to_string(cairo_status_t(rawValue: UInt32(bitPattern: status))) else {
            return "status \(status)"
        }
        return String(cString: text)
    }
}
