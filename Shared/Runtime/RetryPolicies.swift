import Contracts

/// A service's retry policies: one for every message type it handles, with overrides for
/// particular types. Read from configuration once (see `docs/failures.md`):
///
/// - `retry.initial.ms`, `retry.multiplier`, `retry.jitter`, `retry.max.ms`, `retry.attempts`:
///   the process's defaults;
/// - `retry.service.<service>.<field>`: for one service (handy in a config file shared by all);
/// - `retry.type.<message-type>.<field>`: for one message type, e.g.
///   `retry.type.job.submit.attempts=8`.
///
/// A more specific key wins field by field: type over service over default.
public struct RetryPolicies: Sendable, Hashable {
    /// The policy for types without an override.
    public var base: RetryPolicy
    /// Overrides by message type (routing key).
    public var byType: [String: RetryPolicy]

    /// Creates the set.
    public init(base: RetryPolicy = RetryPolicy(), byType: [String: RetryPolicy] = [:]) {
        self.base = base
        self.byType = byType
    }

    /// The policy that applies to `type`.
    public func policy(for type: String) -> RetryPolicy { byType[type] ?? base }

    /// Every distinct nominal delay of every policy: one durable delay queue exists for each.
    public var delayLevels: [Int] {
        var levels: [Int] = []
        for policy in [base] + byType.keys.sorted().compactMap({ byType[$0] }) {
            for level in policy.delayLevels where !levels.contains(level) { levels.append(level) }
        }
        return levels.sorted()
    }

    /// The field names a policy key may end with.
    static let fields = ["initial.ms", "multiplier", "jitter", "max.ms", "attempts"]

    /// Reads the policies for `service` from `values`.
    public init(service: String, values: ConfigValues) throws {
        let defaults = try Self.policy(values, prefix: "retry.", over: RetryPolicy())
        base = try Self.policy(values, prefix: "retry.service.\(service).", over: defaults)
        byType = [:]
        var types = Set<String>()
        for key in values.keys(withPrefix: "retry.type.") {
            let rest = key.dropFirst("retry.type.".count)
            guard let field = Self.fields.first(where: { rest.hasSuffix(".\($0)") }) else {
                throw SluiceError.permanent("config.unknown-key",
                    "\(key): a per-type retry key ends with one of \(Self.fields.joined(separator: ", "))")
            }
            types.insert(String(rest.dropLast(field.count + 1)))
        }
        for type in types {
            byType[type] = try Self.policy(values, prefix: "retry.type.\(type).", over: base)
        }
        for (key, policy) in [("base", base)] + byType.map({ ($0.key, $0.value) }) {
            try policy.check(key)
        }
    }

    private static func policy(_ values: ConfigValues, prefix: String, over fallback: RetryPolicy) throws -> RetryPolicy {
        RetryPolicy(
            initialDelay: .milliseconds(try values.int(prefix + "initial.ms", fallback.initialMilliseconds)),
            multiplier: try values.double(prefix + "multiplier", fallback.multiplier),
            maxDelay: .milliseconds(try values.int(prefix + "max.ms", fallback.maxMilliseconds)),
            jitter: try values.double(prefix + "jitter", fallback.jitter),
            maxAttempts: try values.int(prefix + "attempts", fallback.maxAttempts))
    }
}

extension RetryPolicy {
    var initialMilliseconds: Int { delayMilliseconds(afterAttempt: 1) }
    var maxMilliseconds: Int {
        Int((Double(maxDelay.components.seconds) * 1000 + Double(maxDelay.components.attoseconds) / 1e15).rounded())
    }

    func check(_ name: String) throws {
        func bad(_ what: String) -> SluiceError { .permanent("config.invalid-retry", "retry policy \(name): \(what)") }
        guard maxAttempts >= 1 else { throw bad("attempts must be at least 1") }
        guard multiplier >= 1 else { throw bad("multiplier must be at least 1") }
        guard (0...0.9).contains(jitter) else { throw bad("jitter must be between 0 and 0.9") }
        guard initialMilliseconds >= 1, maxMilliseconds >= initialMilliseconds else {
            throw bad("delays must be positive and max.ms at least initial.ms")
        }
    }
}
