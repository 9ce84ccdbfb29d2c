import Contracts
import Crypto
import Formats
import Foundation
import Logging
import ObjectStorage
import PostgresNIO
import Runtime
import Tabular

/// A job's input as ingest stored it: every source (inline, path, upload, URL, S3) is copied
/// once into the object store (`inputs/<input id>/content`) with its metadata in ingest's
/// schema, so any replica can re-read it, an analysis-only run never touches the original
/// source again, and the content hash drives incremental processing. Inputs stored before
/// the object store (1 MiB `input_parts` rows) are still read.
struct StoredInput: Sendable, Hashable, Codable {
    var inputId: String
    var bytes: Int
    var sha256: String
    /// The original file name, when known (format detection uses its extension).
    var filename: String?
    /// Where the content is in the object store; `nil` for an input kept in `input_parts`.
    var objectKey: String?
}

/// Ingest's stored inputs: the bytes in the object store, the metadata in ingest's tables.
/// All SQL for stored inputs and uploads lives here.
struct InputStore {
    let runtime: RuntimeContext
    static let partSize = 1 << 20
    var logger: Logger { runtime.logger }
    var objects: any ObjectStore { runtime.objects }

    /// Streams `blocks` into a new input; refuses more than `maxBytes`. Each block is handed
    /// to `tap` once it is spooled, so a caller can parse while the input is stored (one read
    /// of the source).
    func store(filename: String?, origin: String = "source", maxBytes: Int,
               _ blocks: (_ sink: ([UInt8]) async throws -> Void) async throws -> Void,
               tap: (([UInt8]) async throws -> Void)? = nil) async throws -> StoredInput {
        let inputId = MessageID.random()
        try await runtime.database.query("""
            INSERT INTO inputs (input_id, filename, state, origin) VALUES (\(inputId), \(filename), 'writing', \(origin))
            """, logger: logger)
        let spool = objects.spoolDirectory + "/input-\(inputId)"
        defer { try? FileManager.default.removeItem(atPath: spool) }
        do {
            return try await write(inputId, filename: filename, spool: spool, maxBytes: maxBytes, blocks, tap: tap)
        } catch {
            // Refused or broken half-way: the row goes, the spool file goes (defer), nothing leaks.
            try? await runtime.database.query("DELETE FROM inputs WHERE input_id = \(inputId)", logger: logger)
            throw error
        }
    }

    private func write(_ inputId: String, filename: String?, spool: String, maxBytes: Int,
                       _ blocks: (_ sink: ([UInt8]) async throws -> Void) async throws -> Void,
                       tap: (([UInt8]) async throws -> Void)?) async throws -> StoredInput {
        let handle = try Self.create(spool)
        var hasher = SHA256()
        var total = 0
        do {
            defer { try? handle.close() }
            try await blocks { block in
                total += block.count
                if total > maxBytes { throw Self.tooLarge(maxBytes) }
                hasher.update(data: block)
                do {
                    try handle.write(contentsOf: block)
                } catch {
                    throw SluiceError.transient("store.unavailable", "cannot write the spool file \(spool): \(error)")
                }
                try await tap?(block)
            }
        }
        let sha = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let key = try ObjectKey("inputs", inputId, "content")
        try await objects.put(key, movingFile: spool)
        let input = StoredInput(inputId: inputId, bytes: total, sha256: sha, filename: filename, objectKey: key.value)
        try await runtime.database.query("""
            UPDATE inputs SET state = 'stored', bytes = \(total), sha256 = \(sha),
                object_key = \(key.value), stored_at = now() WHERE input_id = \(inputId)
            """, logger: logger)
        return input
    }

    static func tooLarge(_ maxBytes: Int) -> SluiceError {
        .permanent("ingest.too-large", "the source is larger than the \(maxBytes)-byte limit (ingest.max.bytes); split it into several jobs")
    }

    private static func create(_ path: String) throws -> FileHandle {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw SluiceError.transient("store.unavailable", "cannot create a spool file at \(path)")
        }
        return handle
    }

    /// A stored input by id, or nil.
    func find(inputId: String) async throws -> StoredInput? {
        let rows = try await runtime.database.query("""
            SELECT input_id, bytes, sha256, filename, object_key FROM inputs
            WHERE input_id = \(inputId) AND state = 'stored'
            """, logger: logger)
        for try await row in rows.decode((String, Int, String, String?, String?).self) {
            return StoredInput(inputId: row.0, bytes: row.1, sha256: row.2, filename: row.3, objectKey: row.4)
        }
        return nil
    }

    /// The input an earlier job read.
    func input(ofJob jobId: String) async throws -> StoredInput? {
        let rows = try await runtime.database.query(
            "SELECT input_id FROM jobs WHERE job_id = \(jobId)", logger: logger)
        for try await id in rows.decode(String?.self) { if let id { return try await find(inputId: id) } }
        return nil
    }

    /// The input an upload stored (only uploads: another job's input is not an upload id).
    func input(ofUpload uploadId: String) async throws -> StoredInput? {
        let rows = try await runtime.database.query("""
            SELECT 1 FROM inputs WHERE input_id = \(uploadId) AND origin = 'upload'
            """, logger: logger)
        for try await _ in rows { return try await find(inputId: uploadId) }
        return nil
    }

    /// Calls `body` with each 1 MiB block of the input, in order (memory stays bounded to one).
    func forEachBlock(_ input: StoredInput, _ body: ([UInt8]) async throws -> Void) async throws {
        if let objectKey = input.objectKey {
            let key = try ObjectKey(objectKey)
            var offset = 0
            while offset < input.bytes {
                let block = try await objects.get(key, range: offset..<min(offset + Self.partSize, input.bytes))
                guard !block.isEmpty else {
                    throw SluiceError.permanent("ingest.input-damaged",
                        "the stored input \(objectKey) ends at byte \(offset) of \(input.bytes); restore it or submit the source again")
                }
                try await body(block)
                offset += block.count
            }
            return
        }
        var part = 0
        while true {
            // One part per query keeps memory bounded to one part whatever the input size.
            let rows = try await runtime.database.query("""
                SELECT content FROM input_parts WHERE input_id = \(input.inputId) AND part = \(part)
                """, logger: logger)
            var block: [UInt8]?
            for try await content in rows.decode(ByteBuffer.self) { block = Array(content.readableBytesView) }
            guard let block else { return }
            try await body(block)
            part += 1
        }
    }

    /// The first block of the input (format and encoding sniffing need no more).
    func firstBlock(_ input: StoredInput) async throws -> [UInt8] {
        if let objectKey = input.objectKey {
            guard input.bytes > 0 else { return [] }
            return try await objects.get(try ObjectKey(objectKey), range: 0..<min(Self.partSize, input.bytes))
        }
        let rows = try await runtime.database.query("""
            SELECT content FROM input_parts WHERE input_id = \(input.inputId) AND part = 0
            """, logger: logger)
        for try await content in rows.decode(ByteBuffer.self) { return Array(content.readableBytesView) }
        return []
    }

    /// Writes the input to a file (formats that need random access, such as XLSX).
    func copy(_ input: StoredInput, to path: String) async throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw SluiceError.transient("ingest.temp-file", "cannot create a temporary file at \(path)")
        }
        defer { try? handle.close() }
        try await forEachBlock(input) { block in try handle.write(contentsOf: block) }
    }
}
