/// A value in an AMQP header table (the subset Sluice writes, plus what the broker sends,
/// e.g. `x-death`).
public enum HeaderValue: Sendable, Hashable, Codable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case timestamp(UInt64)
    case bytes([UInt8])
    case array([HeaderValue])
    case table([String: HeaderValue])
    case void

    /// The value as text when it is a string (or bytes holding UTF-8).
    public var stringValue: String? {
        switch self {
        case .string(let s): s
        case .bytes(let b): String(decoding: b, as: UTF8.self)
        default: nil
        }
    }

    /// The value as an integer when it is numeric.
    public var intValue: Int64? {
        switch self {
        case .int(let i): i
        case .timestamp(let t): Int64(t)
        case .double(let d): Int64(d)
        default: nil
        }
    }
}
