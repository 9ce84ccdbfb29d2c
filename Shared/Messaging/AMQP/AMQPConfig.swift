import Foundation

/// How to reach the broker. Built once from configuration at the top of a process.
public struct AMQPConfig: Sendable, Hashable {
    /// Broker host.
    public var host: String
    /// Broker port (5671 for amqps by convention).
    public var port: Int
    /// Virtual host.
    public var vhost: String
    /// User name.
    public var user: String
    /// Password.
    public var password: String
    /// Use TLS (amqps).
    public var tls: Bool
    /// CA bundle to verify the broker's certificate with; system defaults when nil.
    public var caCertificatePath: String?
    /// Verify the broker's certificate and host name (on by default).
    public var verifyPeer: Bool
    /// Heartbeat interval in seconds negotiated with the broker.
    public var heartbeatSeconds: Int
    /// A name shown in the management UI for the connection.
    public var connectionName: String
    /// First reconnect delay; doubles up to `maxReconnectDelay`, with jitter.
    public var initialReconnectDelay: Duration
    /// Cap on the reconnect delay.
    public var maxReconnectDelay: Duration

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 5673, vhost: String = "sluice",
                user: String = "sluice", password: String = "sluice", tls: Bool = false,
                caCertificatePath: String? = nil, verifyPeer: Bool = true, heartbeatSeconds: Int = 30,
                connectionName: String = "sluice", initialReconnectDelay: Duration = .milliseconds(200),
                maxReconnectDelay: Duration = .seconds(10)) {
        self.host = host
        self.port = port
        self.vhost = vhost
        self.user = user
        self.password = password
        self.tls = tls
        self.caCertificatePath = caCertificatePath
        self.verifyPeer = verifyPeer
        self.heartbeatSeconds = heartbeatSeconds
        self.connectionName = connectionName
        self.initialReconnectDelay = initialReconnectDelay
        self.maxReconnectDelay = maxReconnectDelay
    }

    /// Parses `amqp://user:pass@host:port/vhost` or `amqps://…`. The vhost is percent-decoded
    /// (`%2F` is `/`); a missing path means vhost `/`.
    public init(url: String) throws(TransportError) {
        guard let components = URLComponents(string: url),
              let scheme = components.scheme?.lowercased(), scheme == "amqp" || scheme == "amqps" else {
            throw .invalidConfiguration("not an amqp:// or amqps:// URL: \(url)")
        }
        self.init()
        tls = scheme == "amqps"
        host = components.host ?? "127.0.0.1"
        port = components.port ?? (tls ? 5671 : 5672)
        user = components.percentEncodedUser?.removingPercentEncoding ?? "guest"
        password = components.percentEncodedPassword?.removingPercentEncoding ?? "guest"
        let path = components.percentEncodedPath
        vhost = path.isEmpty || path == "/" ? "/" : String(path.dropFirst()).removingPercentEncoding ?? "/"
        for item in components.queryItems ?? [] {
            switch item.name {
            case "heartbeat": heartbeatSeconds = Int(item.value ?? "") ?? heartbeatSeconds
            case "cacertfile": caCertificatePath = item.value
            case "verify": verifyPeer = item.value != "verify_none"
            default: break
            }
        }
    }

    /// The URL without the password, for logs.
    public var redacted: String {
        "\(tls ? "amqps" : "amqp")://\(user)@\(host):\(port)/\(vhost == "/" ? "%2F" : vhost)"
    }
}
