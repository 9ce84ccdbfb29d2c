/// How a service reaches PostgreSQL. Each service logs in as its own role and works in its
/// own schema, passed as `search_path` when the connection starts (a pooled connection
/// must not depend on a `SET` issued by an earlier user).
public struct DatabaseConfig: Sendable, Hashable {
    /// Server host.
    public var host: String
    /// Server port.
    public var port: Int
    /// Database name.
    public var database: String
    /// Login role, `sluice_<service>` by default.
    public var user: String
    /// Password.
    public var password: String
    /// The schema this service owns; every unqualified name resolves there.
    public var schema: String
    /// Pool size.
    public var maxConnections: Int
    /// Require TLS to the server.
    public var tls: Bool
    /// Connections the pool keeps open even when idle (at least 1).
    public var minConnections: Int = 2
    /// Bound on leasing a connection and running one statement.
    public var queryTimeout: Duration = .seconds(30)
    /// Bound on a whole transaction (lease, statements, commit).
    public var transactionTimeout: Duration = .seconds(300)

    /// Creates a configuration; the defaults match `infra/local`.
    public init(host: String = "127.0.0.1", port: Int = 5433, database: String = "sluice",
                user: String, password: String, schema: String, maxConnections: Int = 10, tls: Bool = false) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.schema = schema
        self.maxConnections = maxConnections
        self.tls = tls
    }

    /// The local default for `service`: role and password `sluice_<service>`, schema `<service>`.
    public static func local(service: String) -> DatabaseConfig {
        DatabaseConfig(user: "sluice_\(service)", password: "sluice_\(service)", schema: service)
    }

    /// A connection string without the password, for logs.
    public var redacted: String { "postgres://\(user)@\(host):\(port)/\(database)?schema=\(schema)" }
}
