/// A failure of the object store, with a stable code and a message a person can act on.
///
/// `isTransient` says whether trying again later can help: an unreachable or full store
/// can recover, a missing object or a refused key cannot.
public struct ObjectStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable {
        /// No object under the key.
        case notFound = "store.not-found"
        /// The store cannot be reached or failed to answer (I/O error, connection refused, 5xx).
        case unavailable = "store.unavailable"
        /// The store has no room (disk full, quota).
        case full = "store.full"
        /// The store refused our credentials or permissions.
        case denied = "store.denied"
        /// The key is not a valid object key.
        case invalidKey = "store.invalid-key"
    }

    /// What went wrong.
    public var kind: Kind
    /// The key concerned, when there is one.
    public var key: String?
    /// The details, for a person.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, key: String?, _ message: String) {
        self.kind = kind
        self.key = key
        self.message = message
    }

    /// The stable code (`store.not-found`, …).
    public var code: String { kind.rawValue }

    /// Whether retrying later can help.
    public var isTransient: Bool { kind == .unavailable || kind == .full }

    /// `[code] message (key …)`.
    public var description: String {
        "[\(code)] \(message)" + (key.map { " (key \($0))" } ?? "")
    }
}
