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

    /// Creates an error.
    public init(_ code: String, _ message: String, _ disposition: Disposition = .permanent) {
        self.code = code
        self.message = message
        self.disposition = disposition
    }

    /// A permanent error.
    public static func permanent(_ code: String, _ message: String) -> SluiceError {
        .init(code, message, .permanent)
    }

    /// A transient error.
    public static func transient(_ code: String, _ message: String) -> SluiceError {
        .init(code, message, .transient)
    }

    public var description: String { "[\(code)] \(message)" }
}
