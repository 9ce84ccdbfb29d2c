import Chunks
import Contracts
import Crypto
import Foundation
import Logging
import ObjectStorage
import PostgresNIO

/// Writes one artifact to a spool file beside the object store, hashing as it goes, then
/// moves it into the store and records it in the publishing transaction: an artifact of any
/// size is never held whole in memory, and the database keeps only its metadata.
///
/// The key holds the content's hash (`jobs/<job>/artifacts/<sha256, 16 hex>/<name>`): an
/// attempt abandoned after a timeout whose upload lands late writes its own key and can
/// never replace the bytes the committed row names.
struct ArtifactWriter {
    let jobId: String
    let name: String
    let contentType: String
    private let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private(set) var bytes = 0
    static let partSize = 1 << 20

    /// A writer spooling to a new file in `spool`.
    init(jobId: String, name: String, contentType: String, spool: String) throws {
        self.jobId = jobId
        self.name = name
        self.contentType = contentType
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        path = spool + "/artifact-\(MessageID.random())"
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw SluiceError.transient("store.unavailable", "cannot create a spool file in \(spool)")
        }
        self.handle = handle
        buffer.reserveCapacity(Self.partSize)
    }

    /// Appends bytes, writing full pieces as they fill.
    mutating func write(_ data: some Collection<UInt8>) throws {
        buffer.append(contentsOf: data)
        if buffer.count >= Self.partSize { try flush() }
    }

    private mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        hasher.update(data: buffer)
        bytes += buffer.count
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw SluiceError.transient("store.unavailable", "cannot write the spool file of \(name): \(error)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Moves the artifact into the store and records it; returns its reference.
    mutating func finish(objects: any ObjectStore, connection: PostgresConnection, logger: Logger) async throws -> ArtifactRef {
        try flush()
        try? handle.synchronize()
        try? handle.close()
        let sha = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return try await Self.move(path, bytes: bytes, sha256: sha, jobId: jobId, name: name, contentType: contentType,
                                   objects: objects, connection: connection, logger: logger)
    }

    /// Stores a file another writer produced (the XLSX workbook): hashed where it is, then
    /// moved into the store, never copied to a second spool file.
    static func storeFile(_ path: String, jobId: String, name: String, contentType: String, objects: any ObjectStore,
                          connection: PostgresConnection, logger: Logger) async throws -> ArtifactRef {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SluiceError.transient("store.unavailable", "the spooled \(name) is missing")
        }
        var hasher = SHA256()
        var bytes = 0
        do {
            defer { try? handle.close() }
            while let data = try handle.read(upToCount: partSize), !data.isEmpty {
                hasher.update(data: data)
                bytes += data.count
            }
        }
        let sha = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return try await move(path, bytes: bytes, sha256: sha, jobId: jobId, name: name, contentType: contentType,
                              objects: objects, connection: connection, logger: logger)
    }

    /// Moves a spooled, hashed artifact into the store and records it.
    private static func move(_ path: String, bytes: Int, sha256: String, jobId: String, name: String, contentType: String,
                             objects: any ObjectStore, connection: PostgresConnection,
                             logger: Logger) async throws -> ArtifactRef {
        let key = try key(jobId: jobId, name: name, sha256: sha256)
        do {
            try await objects.put(key, movingFile: path)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw ChunkStore.fault(error)
        }
        try await record(jobId: jobId, name: name, contentType: contentType, bytes: bytes, sha256: sha256, key: key,
                         connection: connection, logger: logger)
        return ArtifactRef(name: name, contentType: contentType, bytes: bytes, sha256: sha256)
    }

    /// Gives up: the spool file is removed.
    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Stores a small artifact built in memory.
    static func store(_ content: [UInt8], jobId: String, name: String, contentType: String, objects: any ObjectStore,
                      connection: PostgresConnection, logger: Logger) async throws -> ArtifactRef {
        let sha = SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
        let key = try key(jobId: jobId, name: name, sha256: sha)
        do {
            try await objects.put(key, bytes: content)
        } catch {
            throw ChunkStore.fault(error)
        }
        try await record(jobId: jobId, name: name, contentType: contentType, bytes: content.count, sha256: sha, key: key,
                         connection: connection, logger: logger)
        return ArtifactRef(name: name, contentType: contentType, bytes: content.count, sha256: sha)
    }

    /// `jobs/<job>/artifacts/<sha256, 16 hex>/<name>`.
    static func key(jobId: String, name: String, sha256: String) throws -> ObjectKey {
        do {
            return try ObjectKey(ChunkStore.jobPrefix(jobId) + "artifacts/" + sha256.prefix(16) + "/" + name)
        } catch {
            throw SluiceError.permanent("publish.invalid-artifact-name", "\(name) cannot name an artifact: \(error.message)")
        }
    }

    /// The artifact's row; a re-publication replaces it (and its old parts, from before the store).
    private static func record(jobId: String, name: String, contentType: String, bytes: Int, sha256: String,
                               key: ObjectKey, connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("DELETE FROM artifact_parts WHERE job_id = \(jobId) AND name = \(name)", logger: logger)
        try await connection.query("""
            INSERT INTO artifacts (job_id, name, content_type, bytes, sha256, parts, object_key)
            VALUES (\(jobId), \(name), \(contentType), \(bytes), \(sha256), 0, \(key.value))
            ON CONFLICT (job_id, name) DO UPDATE SET content_type = EXCLUDED.content_type, bytes = EXCLUDED.bytes,
                sha256 = EXCLUDED.sha256, parts = 0, content = NULL, object_key = EXCLUDED.object_key, created_at = now()
            """, logger: logger)
    }
}
