import Contracts
import Crypto
import Formats
import Foundation
import Logging
import PostgresNIO
import Runtime
import Tabular

/// A job's input as ingest stored it: every source (inline, path, upload, URL) is copied
/// once into ingest's schema in 1 MiB parts, so any replica can re-read it, an
/// analysis-only run never touches the original source again, and the content hash drives
/// incremental processing.
struct StoredInput: Sendable, Hashable, Codable {
    var inputId: String
    var bytes: Int
    var sha256: String
    /// Whether every byte sequence is valid UTF-8 (otherwise the text is Windows-1252).
    var utf8Valid: Bool
    /// The original file name, when known (format detection uses its extension).
    var filename: String?
}

/// Ingest's input tables. All SQL for stored inputs and uploads lives here.
struct InputStore {
    let runtime: RuntimeContext
    static let partSize = 1 << 20
    var logger: Logger { runtime.logger }

    /// Streams `blocks` into a new input; refuses more than `maxBytes`.
    func store(filename: String?, origin: String = "source", maxBytes: Int,
               _ blocks: (_ sink: (ArraySlice<UInt8>) async throws -> Void) async throws -> Void) async throws -> StoredInput {
        let inputId = MessageID.random()
        try await runtime.database.query("""
            INSERT INTO inputs (input_id, filename, state, origin) VALUES (\(inputId), \(filename), 'writing', \(origin))
            """, logger: logger)
        do {
            return try await write(inputId, filename: filename, maxBytes: maxBytes, blocks)
        } catch {
            // Refused or broken half-way: the parts written so far go (cascade), nothing leaks.
            try? await runtime.database.query("DELETE FROM inputs WHERE input_id = \(inputId)", logger: logger)
            throw error
        }
    }

    private func write(_ inputId: String, filename: String?, maxBytes: Int,
                       _ blocks: (_ sink: (ArraySlice<UInt8>) async throws -> Void) async throws -> Void) async throws -> StoredInput {
        var hasher = SHA256()
        var validator = UTF8Validator()
        var pending: [UInt8] = []
        pending.reserveCapacity(Self.partSize)
        var total = 0
        var part = 0
        let database = runtime.database
        let logger = self.logger
        func flush() async throws {
            guard !pending.isEmpty else { return }
            try await database.query("""
                INSERT INTO input_parts (input_id, part, content) VALUES (\(inputId), \(part), \(ByteBuffer(bytes: pending)))
                """, logger: logger)
            part += 1
            pending.removeAll(keepingCapacity: true)
        }
        try await blocks { block in
            total += block.count
            if total > maxBytes {
                throw SluiceError.permanent("ingest.too-large",
                    "the source is larger than the \(maxBytes)-byte limit (ingest.max.bytes); split it into several jobs")
            }
            hasher.update(data: block)
            validator.feed(block)
            var rest = block
            while !rest.isEmpty {
                let take = min(Self.partSize - pending.count, rest.count)
                pending.append(contentsOf: rest.prefix(take))
                rest = rest.dropFirst(take)
                if pending.count == Self.partSize { try await flush() }
            }
        }
        try await flush()
        let sha = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let input = StoredInput(inputId: inputId, bytes: total, sha256: sha, utf8Valid: validator.finish(), filename: filename)
        try await database.query("""
            UPDATE inputs SET state = 'stored', bytes = \(total), sha256 = \(sha), utf8_valid = \(input.utf8Valid),
                stored_at = now() WHERE input_id = \(inputId)
            """, logger: logger)
        return input
    }

    /// A stored input by id, or nil.
    func find(inputId: String) async throws -> StoredInput? {
        let rows = try await runtime.database.query("""
            SELECT input_id, bytes, sha256, utf8_valid, filename FROM inputs WHERE input_id = \(inputId) AND state = 'stored'
            """, logger: logger)
        for try await row in rows.decode((String, Int, String, Bool, String?).self) {
            return StoredInput(inputId: row.0, bytes: row.1, sha256: row.2, utf8Valid: row.3, filename: row.4)
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

    /// Calls `body` with each part of the input, in order.
    func forEachBlock(_ inputId: String, _ body: ([UInt8]) async throws -> Void) async throws {
        var part = 0
        while true {
            // One part per query keeps memory bounded to one part whatever the input size.
            let rows = try await runtime.database.query("""
                SELECT content FROM input_parts WHERE input_id = \(inputId) AND part = \(part)
                """, logger: logger)
            var block: [UInt8]?
            for try await content in rows.decode(ByteBuffer.self) { block = Array(content.readableBytesView) }
            guard let block else { return }
            try await body(block)
            part += 1
        }
    }

    /// The first part of the input (format and encoding sniffing need no more).
    func firstBlock(_ inputId: String) async throws -> [UInt8] {
        let rows = try await runtime.database.query("""
            SELECT content FROM input_parts WHERE input_id = \(inputId) AND part = 0
            """, logger: logger)
        for try await content in rows.decode(ByteBuffer.self) { return Array(content.readableBytesView) }
        return []
    }

    /// Writes the input to a file (formats that need random access, such as XLSX).
    func copy(_ inputId: String, to path: String) async throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw SluiceError.transient("ingest.temp-file", "cannot create a temporary file at \(path)")
        }
        defer { try? handle.close() }
        try await forEachBlock(inputId) { block in try handle.write(contentsOf: block) }
    }
}
