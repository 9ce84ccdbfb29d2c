import Contracts
import Crypto
import Foundation
import Logging
import PostgresNIO

/// Writes one artifact in 1 MiB parts inside the publishing transaction, hashing as it
/// goes, so an artifact of any size is never held whole in memory.
struct ArtifactWriter {
    let jobId: String
    let name: String
    let contentType: String
    private let connection: PostgresConnection
    private let logger: Logger
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private var part = 0
    private(set) var bytes = 0
    static let partSize = 1 << 20

    init(jobId: String, name: String, contentType: String, connection: PostgresConnection, logger: Logger) async throws {
        self.jobId = jobId
        self.name = name
        self.contentType = contentType
        self.connection = connection
        self.logger = logger
        buffer.reserveCapacity(Self.partSize)
        // A re-publication replaces the artifact.
        try await connection.query("DELETE FROM artifact_parts WHERE job_id = \(jobId) AND name = \(name)", logger: logger)
    }

    /// Appends bytes, writing full parts as they fill.
    mutating func write(_ data: some Collection<UInt8>) async throws {
        buffer.append(contentsOf: data)
        while buffer.count >= Self.partSize { try await flush(upTo: Self.partSize) }
    }

    /// Stores up to `limit` buffered bytes as the next part.
    private mutating func flush(upTo limit: Int = .max) async throws {
        guard !buffer.isEmpty else { return }
        let count = min(limit, buffer.count)
        let chunk = buffer[..<count]
        hasher.update(data: chunk)
        bytes += count
        try await connection.query("""
            INSERT INTO artifact_parts (job_id, name, part, content)
            VALUES (\(jobId), \(name), \(part), \(ByteBuffer(bytes: chunk)))
            """, logger: logger)
        part += 1
        buffer.removeFirst(count)
    }

    /// Writes the last part and the artifact's row; returns its reference.
    mutating func finish() async throws -> ArtifactRef {
        try await flush()
        let sha = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        try await connection.query("""
            INSERT INTO artifacts (job_id, name, content_type, bytes, sha256, parts)
            VALUES (\(jobId), \(name), \(contentType), \(bytes), \(sha), \(part))
            ON CONFLICT (job_id, name) DO UPDATE SET content_type = EXCLUDED.content_type, bytes = EXCLUDED.bytes,
                sha256 = EXCLUDED.sha256, parts = EXCLUDED.parts, content = NULL, created_at = now()
            """, logger: logger)
        return ArtifactRef(name: name, contentType: contentType, bytes: bytes, sha256: sha)
    }

    /// Stores a small artifact built in memory.
    static func store(_ content: [UInt8], jobId: String, name: String, contentType: String,
                      connection: PostgresConnection, logger: Logger) async throws -> ArtifactRef {
        var writer = try await ArtifactWriter(jobId: jobId, name: name, contentType: contentType,
                                              connection: connection, logger: logger)
        try await writer.write(content)
        return try await writer.finish()
    }
}
