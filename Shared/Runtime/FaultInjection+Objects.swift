import Logging
import ObjectStorage

extension FaultInjection {
    /// `store`, or, when a crash match is set, `store` behind a wrapper that applies the
    /// match to every object read and every chunk read inline: a chunk holding the text kills
    /// the consumer reading it, as a message body holding it does (records travel as chunks,
    /// and an inline chunk's bytes are base64 in its body, where the text does not show).
    package func wrapping(_ store: any ObjectStore, logger: Logger) -> any ObjectStore {
        crashMatch == nil ? store : CrashingObjectStore(base: store, faults: self, logger: logger)
    }
}

/// An object store that kills the process on reading an object that matches the crash text.
struct CrashingObjectStore: ObjectStore {
    let base: any ObjectStore
    let faults: FaultInjection
    let logger: Logger

    var location: String { base.location }

    var spoolDirectory: String { base.spoolDirectory }

    func put(_ key: ObjectKey, bytes: [UInt8]) async throws(ObjectStoreError) { try await base.put(key, bytes: bytes) }

    func put(_ key: ObjectKey, movingFile path: String) async throws(ObjectStoreError) {
        try await base.put(key, movingFile: path)
    }

    func get(_ key: ObjectKey) async throws(ObjectStoreError) -> [UInt8] {
        let bytes = try await base.get(key)
        faults.crashIfMatching(bytes, logger: logger)
        return bytes
    }

    func sawInline(_ bytes: [UInt8]) { faults.crashIfMatching(bytes, logger: logger) }

    func get(_ key: ObjectKey, range: Range<Int>) async throws(ObjectStoreError) -> [UInt8] {
        try await base.get(key, range: range)
    }

    func size(_ key: ObjectKey) async throws(ObjectStoreError) -> Int? { try await base.size(key) }

    func list(prefix: String) async throws(ObjectStoreError) -> [ObjectKey] { try await base.list(prefix: prefix) }

    func delete(_ key: ObjectKey) async throws(ObjectStoreError) { try await base.delete(key) }
}
