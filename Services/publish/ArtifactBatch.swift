import Chunks
import Contracts
import Foundation
import Logging
import ObjectStorage
import PostgresNIO

/// An artifact hashed and keyed but not yet in the store.
struct PendingArtifact: Sendable {
    /// Where its bytes are until they are stored.
    enum Content: Sendable {
        case memory([UInt8])
        /// A spool file, moved into the store.
        case file(String)
    }

    let ref: ArtifactRef
    let key: ObjectKey
    let content: Content
    var name: String { ref.name }

    /// Gives up: a spool file is removed (one already moved into the store is gone anyway).
    func discard() {
        if case .file(let path) = content { try? FileManager.default.removeItem(atPath: path) }
    }
}

/// Puts a job's artifacts into the store all at once, then records them in the publishing
/// transaction in two statements. The puts overlap, so on a local directory their `fsync`s
/// share the file system's journal commits (a small job's six artifacts cost about what one
/// did one after another); on S3 the uploads run side by side. Each put is still durable and
/// atomic on its own, and nothing is recorded until every one is.
enum ArtifactBatch {
    static func store(_ pending: [PendingArtifact], jobId: String, objects: any ObjectStore, connection: PostgresConnection,
                      logger: Logger) async throws -> [ArtifactRef] {
        guard !pending.isEmpty else { return [] }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for artifact in pending {
                    group.addTask {
                        switch artifact.content {
                        case .memory(let bytes): try await objects.put(artifact.key, bytes: bytes)
                        case .file(let path): try await objects.put(artifact.key, movingFile: path)
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            for artifact in pending { artifact.discard() }
            throw ChunkStore.fault(error)
        }
        try await record(pending, jobId: jobId, connection: connection, logger: logger)
        return pending.map(\.ref)
    }

    /// The artifacts' rows; a re-publication replaces them (and their old parts, from before
    /// the store).
    private static func record(_ pending: [PendingArtifact], jobId: String, connection: PostgresConnection,
                               logger: Logger) async throws {
        let names = pending.map(\.ref.name), types = pending.map(\.ref.contentType), sizes = pending.map { Int64($0.ref.bytes) }
        let hashes = pending.map(\.ref.sha256), keys = pending.map(\.key.value)
        try await connection.query("DELETE FROM artifact_parts WHERE job_id = \(jobId) AND name = ANY(\(names))", logger: logger)
        try await connection.query("""
            INSERT INTO artifacts (job_id, name, content_type, bytes, sha256, parts, object_key)
            SELECT \(jobId), a.name, a.content_type, a.bytes, a.sha256, 0, a.object_key
            FROM unnest(\(names)::text[], \(types)::text[], \(sizes)::bigint[], \(hashes)::text[], \(keys)::text[])
                AS a(name, content_type, bytes, sha256, object_key)
            ON CONFLICT (job_id, name) DO UPDATE SET content_type = EXCLUDED.content_type, bytes = EXCLUDED.bytes,
                sha256 = EXCLUDED.sha256, parts = 0, content = NULL, object_key = EXCLUDED.object_key, created_at = now()
            """, logger: logger)
    }
}
