/// A push-based reader that turns a byte stream into `SourceRow`s.
///
/// `JSONLinesReader`, `JSONArrayReader` and `TextLinesReader` conform, so an ingest
/// loop can read any of them the same way as it reads CSV: feed blocks as they
/// arrive (about 64 KiB is a good size), process the rows each block completes, then
/// call `finish()` once. Memory stays bounded by the block size plus one record.
/// (`XLSXReader` needs random access to the zip and pulls instead; see its docs.)
public protocol StreamingRowReader: Sendable {
    /// Parses the next block of bytes and returns the rows it completed.
    ///
    /// Blocks may split anywhere, even inside a multi-byte character; feeding a file
    /// one byte at a time yields exactly what feeding it whole does.
    mutating func feed(_ bytes: some Collection<UInt8>) throws(FormatError) -> [SourceRow]

    /// Parses the next block, appending completed rows to `rows`, so a hot loop can
    /// reuse one array instead of allocating a fresh one per block.
    mutating func feed(_ bytes: some Collection<UInt8>, into rows: inout [SourceRow]) throws(FormatError)

    /// Ends the stream: returns the rows still pending, or throws if the input is
    /// incomplete or an earlier block failed. The reader is reset for reuse.
    mutating func finish() throws(FormatError) -> [SourceRow]
}

extension StreamingRowReader {
    /// Feeds `data` in blocks of `blockSize` bytes, then finishes; returns every row.
    ///
    /// Convenient for tests and small in-memory inputs.
    public mutating func readAll(
        _ data: some Collection<UInt8>, blockSize: Int = 64 << 10
    ) throws(FormatError) -> [SourceRow] {
        precondition(blockSize > 0, "blockSize must be positive")
        let bytes = Array(data)
        var rows: [SourceRow] = []
        var start = 0
        while start < bytes.count {
            let stop = min(start + blockSize, bytes.count)
            try feed(bytes[start..<stop], into: &rows)
            start = stop
        }
        try rows.append(contentsOf: finish())
        return rows
    }
}

/// A streaming reader that scans contiguous buffers: `feed` is written once here, making
/// any collection contiguous, and keeping the first error sticky.
protocol BufferScanningReader: StreamingRowReader {
    /// The first error met; once set every call throws it again.
    var failure: FormatError? { get set }
    /// Scans one contiguous block, appending completed rows.
    mutating func ingest(_ buffer: UnsafeBufferPointer<UInt8>, into rows: inout [SourceRow]) throws(FormatError)
}

extension BufferScanningReader {
    /// Parses the next block of bytes and returns the rows it completed. Blocks may split
    /// anywhere, even inside a multi-byte character or a CRLF.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(FormatError) -> [SourceRow] {
        var rows: [SourceRow] = []
        try feed(bytes, into: &rows)
        return rows
    }

    /// Parses the next block, appending completed rows to `rows`.
    public mutating func feed(_ bytes: some Collection<UInt8>, into rows: inout [SourceRow]) throws(FormatError) {
        if let failure { throw failure }
        var thrown: FormatError?
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            do throws(FormatError) { try ingest(buffer, into: &rows) } catch { thrown = error }
        }
        if done == nil {
            Array(bytes).withUnsafeBufferPointer { buffer in
                do throws(FormatError) { try ingest(buffer, into: &rows) } catch { thrown = error }
            }
        }
        if let thrown {
            failure = thrown
            throw thrown
        }
    }
}

extension JSONLinesReader: BufferScanningReader {}
extension JSONArrayReader: BufferScanningReader {}
