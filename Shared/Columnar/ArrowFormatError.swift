/// A chunk that is not a readable Arrow IPC stream of the kinds Sluice writes, with what is
/// wrong; a chunk in this state is permanently unreadable (retrying cannot fix its bytes).
public enum ArrowFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes break the format (framing, metadata, buffers out of bounds).
    case malformed(String)
    /// A valid Arrow feature Sluice does not read (compression, dictionaries, other types).
    case unsupported(String)

    public var description: String {
        switch self {
        case .malformed(let detail): "not a valid Arrow IPC stream: \(detail)"
        case .unsupported(let detail): "an Arrow feature Sluice does not read: \(detail)"
        }
    }
}
