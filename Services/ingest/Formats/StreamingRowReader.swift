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

extension JSONLinesReader: StreamingRowReader {}
extension JSONArrayReader: StreamingRowReader {}
