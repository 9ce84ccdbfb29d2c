import Tabular

/// Decides between UTF-8 and Windows-1252 for an input that declares no encoding, while the
/// input streams through, and converts it to UTF-8 on the way.
///
/// The rule needs only the first non-ASCII byte sequence, so the input is read once:
/// - bytes before it are ASCII, the same in both encodings, and pass through at once;
/// - if that sequence is valid UTF-8, the input is UTF-8 (a later invalid byte becomes
///   U+FFFD, and ``replacedSequences`` says whether that happened);
/// - if it is not, the input is Windows-1252 from that byte on (and so as a whole, since
///   everything before was ASCII): how spreadsheets on Windows export.
///
/// The decision depends on the bytes only, never on how they were cut into blocks, so a
/// crashed ingest that reads the input again makes the same chunks.
///
/// ```swift
/// var decider = EncodingDecider()
/// for block in blocks { rows += try reader.feed(decider.feed(block)) }
/// rows += try reader.feed(decider.finish()) + reader.finish()
/// ```
public struct EncodingDecider: Sendable {
    /// The encoding chosen, once the first non-ASCII sequence was seen; `nil` while every
    /// byte so far is ASCII (which reads the same in both).
    public private(set) var decision: TextEncoding?

    /// Bytes from the first non-ASCII byte on, held while its sequence is incomplete.
    private var held: [UInt8] = []
    /// Checks the bytes after a UTF-8 decision, only to report replaced sequences.
    private var validator = UTF8Validator()

    /// A decider for one stream.
    public init() {}

    /// Whether the input was decided UTF-8 but holds invalid sequences (they read as U+FFFD).
    public var replacedSequences: Bool { decision == .utf8 && !validator.isValid }

    /// The encoding to report: the decision, or UTF-8 for all-ASCII input.
    public var encoding: TextEncoding { decision ?? .utf8 }

    /// Converts one block and returns its UTF-8 bytes (possibly fewer, while a sequence
    /// that straddles blocks is held back).
    public mutating func feed(_ block: [UInt8]) -> [UInt8] {
        switch decision {
        case .utf8?:
            validator.feed(block)
            return block
        case .windows1252?:
            var output: [UInt8] = []
            output.reserveCapacity(block.count + block.count / 8)
            Windows1252Transcoder().transcode(block, into: &output)
            return output
        default:
            let bytes = held.isEmpty ? block : held + block
            held = []
            guard let start = Self.firstNonASCII(bytes) else { return bytes }
            switch Self.sequence(bytes[start...]) {
            case .incomplete:
                held = Array(bytes[start...])
                return Array(bytes[..<start])
            case .valid:
                decision = .utf8
                validator.feed(bytes[start...])
                return bytes
            case .invalid:
                return decide1252(bytes, from: start)
            }
        }
    }

    /// Ends the stream and returns any last bytes: a sequence cut off by the end of the
    /// input is not valid UTF-8, so it decides Windows-1252.
    public mutating func finish() -> [UInt8] {
        if decision == .utf8 { validator.finish() }
        guard decision == nil, !held.isEmpty else { return [] }
        let bytes = held
        held = []
        return decide1252(bytes, from: 0)
    }

    private mutating func decide1252(_ bytes: [UInt8], from start: Int) -> [UInt8] {
        decision = .windows1252
        var output = Array(bytes[..<start])
        Windows1252Transcoder().transcode(bytes[start...], into: &output)
        return output
    }

    private static func firstNonASCII(_ bytes: [UInt8]) -> Int? {
        let index = bytes.withUnsafeBufferPointer { ASCIIText.firstNonASCII($0) }
        return index < bytes.count ? index : nil
    }

    enum Sequence { case valid, invalid, incomplete }

    /// Whether the UTF-8 sequence that starts `bytes` (at a non-ASCII byte) is valid.
    static func sequence(_ bytes: ArraySlice<UInt8>) -> Sequence {
        guard let (needed, first, last) = UTF8Validator.sequence(lead: bytes[bytes.startIndex]) else { return .invalid }
        var lower = first, upper = last
        var index = bytes.startIndex + 1
        for _ in 0..<needed {
            guard index < bytes.endIndex else { return .incomplete }
            guard (lower...upper).contains(bytes[index]) else { return .invalid }
            lower = 0x80
            upper = 0xBF
            index += 1
        }
        return .valid
    }
}
