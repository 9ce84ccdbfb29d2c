import Contracts
import Outbound
import Runtime

/// The transform service's configuration for call steps, read once at start.
struct TransformSettings: Sendable {
    /// Secrets call-step headers may name (`call.secrets.NAME`); never taken from a job.
    var secrets: [String: String]
    /// The hosts each secret may be sent to (`call.hosts.NAME`: `api.example.org`,
    /// `*.example.org`); a secret without any is never sent.
    var secretHosts: [String: [String]]
    /// Networks calls may reach although they are not public (`call.fetch.allow`; empty:
    /// public addresses only).
    var policy: AddressPolicy
    /// The most calls in flight at once per chunk, whatever a plan asks (`call.concurrency.max`).
    var maxConcurrency: Int
    /// The largest answer read, in bytes (`call.max.bytes`).
    var maxAnswerBytes: Int
    /// The longest wait for the item rate limit spent sleeping in the handler
    /// (`call.rate.wait.ms`); a longer wait holds the chunk until then instead.
    var maxRateWait: Duration
    /// Days a call item's stored outcome is kept (`call.items.retention.days`).
    var retentionDays: Int

    init(values: ConfigValues) throws {
        var secrets: [String: String] = [:]
        for key in values.keys(withPrefix: "call.secrets.") {
            secrets[String(key.dropFirst("call.secrets.".count))] = values[key]
        }
        self.secrets = secrets
        var hosts: [String: [String]] = [:]
        for key in values.keys(withPrefix: "call.hosts.") {
            hosts[String(key.dropFirst("call.hosts.".count))] = values.list(key, []).map { $0.lowercased() }
        }
        secretHosts = hosts
        policy = try AddressPolicy(listed: values.list("call.fetch.allow", [])) {
            SluiceError.permanent("config.invalid-network", "call.fetch.allow: '\($0)' is not an IP address or CIDR network such as 10.0.0.0/8")
        }
        maxConcurrency = max(1, try values.int("call.concurrency.max", 64))
        maxAnswerBytes = try values.int("call.max.bytes", 1 << 20)
        guard maxAnswerBytes > 0 else {
            throw SluiceError.permanent("config.invalid-call-bytes", "call.max.bytes must be positive, got \(maxAnswerBytes)")
        }
        maxRateWait = .milliseconds(try values.int("call.rate.wait.ms", 5_000))
        retentionDays = max(1, try values.int("call.items.retention.days", 7))
    }

    /// Whether `host` is one of `patterns` (`api.example.org`, or `*.example.org` for its subdomains).
    static func host(_ host: String, matches patterns: [String]) -> Bool {
        patterns.contains { pattern in
            pattern.hasPrefix("*.") ? host.hasSuffix(pattern.dropFirst()) && host.count > pattern.count - 1 : host == pattern
        }
    }
}
