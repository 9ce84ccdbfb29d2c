/// Reads a Server-Sent Events stream as it arrives: bytes in, whole events out (`event:`,
/// `data:` and `id:` lines up to a blank line; comments and unknown fields are skipped).
public struct EventStreamParser: Sendable {
    /// One event.
    public struct Event: Equatable, Sendable {
        /// `event:` (default `message`).
        public var name = "message"
        /// The `data:` lines, joined by newlines.
        public var data = ""
        /// `id:`, if given.
        public var id: String?

        /// An event.
        public init(name: String = "message", data: String = "", id: String? = nil) {
            self.name = name
            self.data = data
            self.id = id
        }
    }

    private var pending: [UInt8] = []
    private var current = Event()
    private var hasData = false

    /// An empty parser.
    public init() {}

    /// The events completed by `bytes`.
    public mutating func feed(_ bytes: [UInt8]) -> [Event] {
        pending += bytes
        var events: [Event] = []
        while let newline = pending.firstIndex(of: 10) {
            var line = String(decoding: pending[..<newline], as: UTF8.self)
            pending.removeSubrange(...newline)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty {
                if hasData { events.append(current) }
                current = Event()
                hasData = false
                continue
            }
            if line.hasPrefix(":") { continue }
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            var value = parts.count > 1 ? String(parts[1]) : ""
            if value.hasPrefix(" ") { value.removeFirst() }
            switch parts[0] {
            case "event": current.name = value
            case "data":
                current.data += hasData ? "\n" + value : value
                hasData = true
            case "id": current.id = value
            default: break
            }
        }
        return events
    }
}
