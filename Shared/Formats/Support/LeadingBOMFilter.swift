/// Strips a UTF-8 byte-order mark from the very start of a stream fed in blocks.
///
/// The mark may itself be split across blocks, so up to three leading bytes are held
/// back until it is clear whether they form `EF BB BF`; if they do not, they are
/// handed back to be processed as ordinary input.
struct LeadingBOMFilter: Sendable {
    private static let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
    /// Leading bytes held back while undecided.
    private var held: [UInt8] = []
    /// Whether the question is settled for this stream.
    private(set) var decided = false

    /// Consumes the leading bytes of `input` that may belong to a mark.
    ///
    /// Returns bytes held from earlier blocks that turned out not to be a mark (to be
    /// processed first) and the index in `input` where ordinary input resumes.
    mutating func take(_ input: UnsafeBufferPointer<UInt8>) -> (replay: [UInt8], start: Int) {
        var start = 0
        while !decided, start < input.count {
            held.append(input[start])
            start += 1
            if held == Self.mark {
                decided = true
                held = []
            } else if !Self.mark.starts(with: held) {
                decided = true
                let replay = held
                held = []
                return (replay, start)
            }
        }
        return ([], start)
    }

    /// Ends the stream: returns held bytes that never completed a mark.
    mutating func flush() -> [UInt8] {
        decided = true
        let replay = held
        held = []
        return replay
    }
}
