/// An error as a value: a stable code scripts can match, a message a person can act on, and
/// whether trying again can help.
public struct SluiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Whether a retry may succeed.
    public enum Disposition: String, Sendable, Codable {
        /// Retry with backoff (a dependency was down, a lock timed out, …).
        case transient
        /// Retrying cannot help (bad input, unknown type, unsupported version, …).
        case permanent
    }

    /// A stable dotted code, e.g. `ingest.path-outside-root`.
    public var code: String
    /// What went wrong and, where possible, what to do about it.
    public var message: String
    /// Transient or permanent.
    public var disposition: Disposition
    /// Where in the source the error was made (`Module/File.swift:line`): Swift errors carry
    /// no stack, so this is what fault headers report as the failure's context. Not part of
    /// equality.
    public var origin: String?

    /// Creates an error.
    public init(_ code: String, _ message: String, _ disposition: Disposition = .permanent,
                file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.disposition = disposition
        self.origin = "\(file):\(line)"
    }

    /// A permanent error.
    public static func permanent(_ code: String, _ message: String, file: String = #fileID, line: Int = #line) -> SluiceError {
        .init(code, message, .permanent, file: file, line: line)
    }

    /// A transient error.
    public static func transient(_ code: String, _ message: String, file: String = #fileID, line: Int = #line) -> SluiceError {
        .init(code, message, .transient, file: file, line: line)
    }

    /// Errors are equal when their disposition, code and message are (where raised does not count).
    public static func == (a: SluiceError, b: SluiceError) -> Bool {
        a.code == b.code && a.message == b.message && a.disposition == b.disposition
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(disposition)
    }

    public var description: String { "[\(code)] \(message)" }
}
