/// W3C trace context (`traceparent: 00-<trace-id>-<span-id>-<flags>`), carried in AMQP
/// headers so one trace id follows a job across every service.
public enum TraceParent {
    /// A new trace.
    public static func new() -> String {
        "00-\(hex(16))-\(hex(8))-01"
    }

    /// A child span of `parent` (same trace id, new span id), or a new trace without one.
    public static func child(of parent: String?) -> String {
        guard let parent, isValid(parent) else { return new() }
        let parts = parent.split(separator: "-")
        return "00-\(parts[1])-\(hex(8))-\(parts[3])"
    }

    /// Whether `value` is a well-formed version-00 traceparent.
    public static func isValid(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "00" && parts[1].count == 32 && parts[2].count == 16
            && parts[3].count == 2 && parts.dropFirst().allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    private static func hex(_ bytes: Int) -> String {
        (0..<bytes).map { _ in
            let b = UInt8.random(in: 0...255)
            return String(b, radix: 16).count == 1 ? "0" + String(b, radix: 16) : String(b, radix: 16)
        }.joined()
    }
}
