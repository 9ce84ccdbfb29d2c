/// Turns blocks of any supported `TextEncoding` into UTF-8 blocks.
///
/// Lets an ingest loop stay the same for every encoding:
///
/// ```swift
/// var transcoder = TextTranscoder(from: detectedEncoding)
/// var reader = CSVReader(dialect: dialect)
/// for block in blocks {
///     records += reader.feed(transcoder.transcode(block))
/// }
/// records += try reader.feed(transcoder.finish()) + reader.finish()
/// ```
///
/// UTF-8 input passes through unchanged (readers strip its byte-order mark
/// themselves); Windows-1252 and UTF-16 go through `Windows1252Transcoder` and
/// `UTF16Transcoder`.
public struct TextTranscoder: Sendable {
    /// The encoding being converted from.
    public let encoding: TextEncoding

    private var utf16: UTF16Transcoder?

    /// Creates a transcoder for one stream in `encoding`.
    public init(from encoding: TextEncoding) {
        self.encoding = encoding
        switch encoding {
        case .utf16LittleEndian: utf16 = UTF16Transcoder(littleEndian: true)
        case .utf16BigEndian: utf16 = UTF16Transcoder(littleEndian: false)
        case .utf8, .windows1252: utf16 = nil
        }
    }

    /// Converts one block and returns its UTF-8 bytes.
    public mutating func transcode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        transcode(bytes, into: &output)
        return output
    }

    /// Converts one block, appending its UTF-8 bytes to `output`.
    public mutating func transcode(_ bytes: some Collection<UInt8>, into output: inout [UInt8]) {
        switch encoding {
        case .utf8:
            output.append(contentsOf: bytes)
        case .windows1252:
            Windows1252Transcoder().transcode(bytes, into: &output)
        case .utf16LittleEndian, .utf16BigEndian:
            utf16?.transcode(bytes, into: &output)
        }
    }

    /// Ends the stream and returns any last bytes (U+FFFD for a dangling UTF-16 unit).
    public mutating func finish() -> [UInt8] {
        var output: [UInt8] = []
        utf16?.finish(into: &output)
        return output
    }

    /// Converts a complete in-memory input to a `String`.
    public static func decode(_ bytes: some Collection<UInt8>, from encoding: TextEncoding) -> String {
        var transcoder = TextTranscoder(from: encoding)
        var output = transcoder.transcode(bytes)
        output += transcoder.finish()
        return String(decoding: output, as: UTF8.self)
    }
}
