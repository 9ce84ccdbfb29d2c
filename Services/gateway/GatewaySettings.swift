import Contracts
import Foundation
import Hosting
import Runtime

/// The gateway's own settings (`gateway.*` keys, and `<service>.url` for where the internal
/// services listen, the same keys the CLI reads).
struct GatewaySettings: Sendable {
    /// Base URLs of the internal services, by name.
    var services: [String: String]
    /// Sent to them as `Authorization: Internal …` when set (`http.internal.token`).
    var internalAuthorization: String?
    /// How long a sign-in session lasts.
    var sessionSeconds: Int
    /// Longest lifetime an API token may be given, and the default.
    var tokenMaxDays: Int
    var tokenDefaultDays: Int
    /// Argon2id parameters for new and re-hashed passwords.
    var hasher: PasswordHasher
    /// Sign-in throttling (see docs/access.md#sign-in-throttling).
    var throttle: ThrottlePolicy
    /// How long a verification or reset code lasts.
    var codeMinutes: Int
    /// Code requests per address typed and per client address (counted like failures).
    var codeRequests: ThrottlePolicy
    /// Wrong codes per address typed and per client address.
    var codeFailures: ThrottlePolicy
    /// Largest JSON request body.
    var maxBodyBytes: Int
    /// Largest uploaded file (ingest applies its own limit too).
    var maxUploadBytes: Int
    /// The OpenAPI document served at `/api/v1/openapi.json`.
    var openAPIFile: String
    /// The RabbitMQ management API, for `/api/v1/queues`.
    var management: ManagementAPI

    struct ManagementAPI: Sendable {
        var url: String
        var user: String
        var password: String
        var vhost: String
        var prefix: String
    }

    init(config: RuntimeConfig) throws {
        let values = config.values
        var services: [String: String] = [:]
        for (name, port) in [("ingest", 8081), ("validate", 8082), ("transform", 8083), ("publish", 8084),
                             ("notify", 8085), ("metrics", 8086), ("scheduler", 8087), ("incident", 8088)] {
            services[name] = values.string("\(name).url", "http://127.0.0.1:\(port)")
        }
        self.services = services
        internalAuthorization = InternalAccess.header(token: InternalAccess(config: config).token)
        sessionSeconds = try values.int("gateway.session.seconds", 12 * 3600)
        tokenMaxDays = try values.int("gateway.token.max.days", 366)
        tokenDefaultDays = try values.int("gateway.token.default.days", 90)
        hasher = PasswordHasher(memoryKiB: UInt32(try values.int("gateway.argon2.memory.kib", 19_456)),
                                iterations: UInt32(try values.int("gateway.argon2.iterations", 2)),
                                parallelism: UInt32(try values.int("gateway.argon2.parallelism", 1)))
        throttle = ThrottlePolicy(
            accountFailures: try values.int("gateway.signin.account.failures", 5),
            addressFailures: try values.int("gateway.signin.address.failures", 20),
            windowSeconds: try values.int("gateway.signin.window.seconds", 900),
            lockSeconds: try values.int("gateway.signin.lock.seconds", 900))
        codeMinutes = try values.int("gateway.code.minutes", 10)
        codeRequests = ThrottlePolicy(
            accountFailures: try values.int("gateway.code.account.requests", 3),
            addressFailures: try values.int("gateway.code.address.requests", 10),
            windowSeconds: try values.int("gateway.code.window.seconds", 900),
            lockSeconds: try values.int("gateway.code.window.seconds", 900))
        codeFailures = ThrottlePolicy(
            accountFailures: try values.int("gateway.code.account.failures", 10),
            addressFailures: try values.int("gateway.code.address.failures", 20),
            windowSeconds: try values.int("gateway.code.window.seconds", 900),
            lockSeconds: try values.int("gateway.code.window.seconds", 900))
        maxBodyBytes = try values.int("gateway.body.max.bytes", 10 << 20)
        maxUploadBytes = try values.int("gateway.upload.max.bytes", 2 << 30)
        openAPIFile = values.string("gateway.openapi.file", Self.defaultOpenAPIFile())
        let vhost = config.amqp.vhost
        management = ManagementAPI(url: values.string("management.url", "http://127.0.0.1:15673"),
                                   user: values.string("management.user", config.amqp.user),
                                   password: values.string("management.password", config.amqp.password),
                                   vhost: vhost, prefix: config.topology.prefix)
        guard sessionSeconds > 0, tokenMaxDays > 0, tokenDefaultDays > 0, tokenDefaultDays <= tokenMaxDays else {
            throw SluiceError.permanent("config.invalid-gateway", "gateway.session.seconds and gateway.token.*.days must be positive, default ≤ max")
        }
    }

    /// `docs/openapi.json` of the working directory, else of the source tree this was built from.
    static func defaultOpenAPIFile() -> String {
        let local = FileManager.default.currentDirectoryPath + "/docs/openapi.json"
        if FileManager.default.fileExists(atPath: local) { return local }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/openapi.json")
            .standardizedFileURL.path
    }
}
