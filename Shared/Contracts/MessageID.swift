import Crypto
import Foundation

/// Deterministic message ids: the same cause always yields the same id, so a re-run or a
/// redelivery publishes duplicates that downstream inboxes drop.
public enum MessageID {
    /// The id of a chunk-level message: `<job>/<type>/<index>`.
    public static func chunk(_ jobId: String, _ type: MessageType, _ index: Int) -> String {
        "\(jobId)/\(type.rawValue)/\(index)"
    }

    /// The id of a job-level message: `<job>/<type>`.
    public static func job(_ jobId: String, _ type: MessageType) -> String {
        "\(jobId)/\(type.rawValue)"
    }

    /// A short stable id from arbitrary parts (hex SHA-256 prefix).
    public static func hash(_ parts: String...) -> String {
        let digest = SHA256.hash(data: Data(parts.joined(separator: "\u{1F}").utf8))
        return digest.prefix(12).map { String(format: "%02x", $0) }.joined()
    }

    /// A fresh random id for messages with no deterministic content (e.g. a CLI submission).
    public static func random() -> String { UUID().uuidString.lowercased() }

    /// Hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined()
    }
}
