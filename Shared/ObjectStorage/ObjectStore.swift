/// Where Sluice keeps bytes too large to travel in a message: the chunks that pass between
/// stages (claim-check: the message carries a reference, the store the bytes) and the jobs'
/// artifacts.
///
/// Two backends keep one contract (the `ObjectStoreConformance` cases run on both): a local
/// directory (one machine) and an S3-compatible object store (many machines). The contract:
///
/// - a `put` is atomic and durable when it returns: a reader sees the whole new object or
///   the whole old one (or none), never a part, even if the writer dies halfway;
/// - a `put` replaces what is under the key, so a redelivered stage rewriting the same
///   deterministic key with the same bytes is harmless;
/// - a missing key is ``ObjectStoreError/Kind/notFound``; an unreachable or full store is
///   transient (retry later); nothing else is hidden.
public protocol ObjectStore: Sendable {
    /// A short description for logs and `/health` (`local:/var/sluice/objects`, `s3:bucket`).
    var location: String { get }

    /// A local directory for files written piece by piece before ``put(_:movingFile:)``: on
    /// the store's own file system when it has one, so the move is a rename.
    var spoolDirectory: String { get }

    /// Stores `bytes` under `key`, replacing any object there; durable when it returns.
    func put(_ key: ObjectKey, bytes: [UInt8]) async throws(ObjectStoreError)

    /// Stores the file at `path` under `key` (moved into place when it can be, else copied
    /// or uploaded), for large objects written piece by piece to a spool file first.
    /// The file is gone afterwards.
    func put(_ key: ObjectKey, movingFile path: String) async throws(ObjectStoreError)

    /// The whole object.
    func get(_ key: ObjectKey) async throws(ObjectStoreError) -> [UInt8]

    /// The bytes of the object in `range` (fewer when the object ends first), for reading a
    /// large object piece by piece.
    func get(_ key: ObjectKey, range: Range<Int>) async throws(ObjectStoreError) -> [UInt8]

    /// The object's size, or `nil` when there is no such object.
    func size(_ key: ObjectKey) async throws(ObjectStoreError) -> Int?

    /// The keys that start with `prefix`, sorted.
    func list(prefix: String) async throws(ObjectStoreError) -> [ObjectKey]

    /// Removes the object; removing a missing object is not an error.
    func delete(_ key: ObjectKey) async throws(ObjectStoreError)

    /// Sees the bytes of a chunk that was read from its message rather than from the store
    /// (a tiny chunk travels inline). Stores ignore it; the fault-injection wrapper applies
    /// its crash match to them, as it does to every object read.
    func sawInline(_ bytes: [UInt8])
}

extension ObjectStore {
    /// Stores have nothing to do with a chunk read inline.
    public func sawInline(_ bytes: [UInt8]) {}

    /// Removes every object under `prefix`; returns how many there were.
    @discardableResult
    public func delete(prefix: String) async throws(ObjectStoreError) -> Int {
        let keys = try await list(prefix: prefix)
        for key in keys { try await delete(key) }
        return keys.count
    }
}
