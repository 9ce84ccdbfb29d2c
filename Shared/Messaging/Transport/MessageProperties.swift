/// AMQP basic properties. Sluice mirrors envelope fields here so tools that never read the
/// body (management UI, shovels, other clients) still see ids and types.
public struct MessageProperties: Sendable, Hashable, Codable {
    /// `message_id`.
    public var messageId: String?
    /// `type`.
    public var type: String?
    /// `correlation_id`.
    public var correlationId: String?
    /// `content_type`, `application/json` for envelopes.
    public var contentType: String?
    /// `app_id`: the producing service.
    public var appId: String?
    /// `timestamp` in seconds since 1970.
    public var timestamp: UInt64?
    /// Per-message TTL in milliseconds (used for jittered retry delays).
    public var expiration: String?
    /// Persistent (delivery mode 2) unless told otherwise.
    public var persistent: Bool = true
    /// Application headers.
    public var headers: [String: HeaderValue] = [:]

    /// Creates properties.
    public init(messageId: String? = nil, type: String? = nil, correlationId: String? = nil,
                contentType: String? = "application/json", appId: String? = nil,
                timestamp: UInt64? = nil, expiration: String? = nil, persistent: Bool = true,
                headers: [String: HeaderValue] = [:]) {
        self.messageId = messageId
        self.type = type
        self.correlationId = correlationId
        self.contentType = contentType
        self.appId = appId
        self.timestamp = timestamp
        self.expiration = expiration
        self.persistent = persistent
        self.headers = headers
    }
}
