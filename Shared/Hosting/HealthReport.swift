/// The body of `/health`: `{"status": "ok", "service": …}`, plus the service's own state
/// under its name when it has any.
struct HealthReport: Encodable {
    let service: String
    let details: (any Encodable & Sendable)?

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode("ok", forKey: Key(stringValue: "status"))
        try container.encode(service, forKey: Key(stringValue: "service"))
        if let details { try container.encode(details, forKey: Key(stringValue: service)) }
    }
}
