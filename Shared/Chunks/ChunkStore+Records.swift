import Columnar
import Contracts

/// Records and record errors through the store, encoded and decoded on the way.
extension ChunkStore {
    /// Encodes `records` as chunk `index` of `stage` and stores it; `carried` as in
    /// ``ChunkCodec/encode(_:header:carried:)``.
    public func writeRecords(_ records: [Record], columns: [String], jobId: String, stage: Stage,
                             index: Int, carried: [Int: ArrowArray] = [:]) async throws -> ChunkRef {
        let bytes = ChunkCodec.encode(records, header: ChunkCodec.Header(columns: columns, metadata: [
            ("sluice.job", jobId), ("sluice.stage", stage.rawValue), ("sluice.chunk", String(index))]), carried: carried)
        return try await write(bytes, key: Self.key(jobId: jobId, stage: stage, index: index), rows: records.count)
    }

    /// Reads and decodes the chunk `ref` names, leaving the data columns in `leaving` as
    /// they are where it can, and keeping its arrays when asked
    /// (``ChunkCodec/decode(_:leaving:keepingColumns:)``).
    public func readRecords(_ ref: ChunkRef, leaving: Set<Int> = [], keepingColumns: Bool = false) async throws
        -> ChunkCodec.Decoded {
        let table = try await readTable(ref)
        return try Self.unreadable(ref) { () throws(ArrowFormatError) in
            try ChunkCodec.decode(table, leaving: leaving, keepingColumns: keepingColumns)
        }
    }

    /// Reads the chunk `ref` names as an Arrow table, checked but not decoded.
    public func readTable(_ ref: ChunkRef) async throws -> ArrowTable {
        let bytes = try await read(ref)
        return try Self.unreadable(ref) { () throws(ArrowFormatError) in try ArrowStream.decodeTable(bytes) }
    }

    /// `body`'s result; a format error becomes the permanent `chunk.unreadable` naming `ref`.
    public static func unreadable<T>(_ ref: ChunkRef, _ body: () throws(ArrowFormatError) -> T) throws(SluiceError) -> T {
        do {
            return try body()
        } catch {
            throw SluiceError.permanent("chunk.unreadable", "the object \(ref.key) is not a readable chunk: \(error)")
        }
    }

    /// Stores the record errors of chunk `index` (nil when there are none).
    public func writeErrors(_ errors: [RecordError], jobId: String, stage: Stage, index: Int) async throws -> ChunkRef? {
        guard !errors.isEmpty else { return nil }
        return try await write(RecordErrorCodec.encode(errors), key: Self.key(jobId: jobId, stage: stage, index: index),
                               rows: errors.count)
    }

    /// Reads the record errors `refs` name, in order.
    public func readErrors(_ refs: [ChunkRef]) async throws -> [RecordError] {
        var errors: [RecordError] = []
        for ref in refs {
            let bytes = try await read(ref)
            do {
                errors += try RecordErrorCodec.decode(bytes)
            } catch {
                throw SluiceError.permanent("chunk.unreadable", "the object \(ref.key) is not a readable error list: \(error)")
            }
        }
        return errors
    }
}
