/// A claim check: where a stage stored a chunk (or its record errors) in the object store,
/// and what the bytes must hash to. Messages between stages carry these instead of rows;
/// the reader fetches the object and refuses it when the checksum does not match.
///
/// A tiny chunk (at most `chunks.inline.bytes`) travels in the reference itself instead
/// (``inline``): no object is written, and the checks are the same.
public struct ChunkRef: Codable, Sendable, Hashable {
    /// The object key, deterministic per job, stage and chunk (`jobs/<job>/<stage>/<index>.arrows`),
    /// so a redelivered stage rewrites the same key with the same bytes. For an inline chunk
    /// it names the chunk but no object.
    public var key: String
    /// Lowercase hex SHA-256 of the object's bytes.
    public var sha256: String
    /// The object's size in bytes.
    public var bytes: Int
    /// The rows (records, or record errors) it holds.
    public var rows: Int
    /// The chunk's bytes, base64 (RFC 4648, padded), when it is carried here rather than
    /// stored; absent for a stored chunk.
    public var inline: String?

    /// Creates a reference.
    public init(key: String, sha256: String, bytes: Int, rows: Int, inline: String? = nil) {
        self.key = key
        self.sha256 = sha256
        self.bytes = bytes
        self.rows = rows
        self.inline = inline
    }
}
