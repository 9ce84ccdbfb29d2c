import Contracts
import APIModels
import Foundation
import PostgresNIO
import Runtime
import Storage

/// Admits jobs under the rate limits, exactly across replicas: each decision runs in one
/// transaction that holds the user's advisory lock and the project's bucket row, reads the
/// database's clock, and records the admission only when both limits allow it. A job
/// admitted once stays admitted (a redelivered submission is not counted again).
struct RateLimiter: Sendable {
    let runtime: RuntimeContext
    let defaults: RateLimits

    /// Admitted, or the time to come back and why.
    enum Outcome: Sendable, Equatable {
        case admitted
        case limited(until: Date, reason: String)
    }

    func admit(jobId: String, user: String, project: String) async throws -> Outcome {
        if defaults.user.limit == 0 && defaults.project.perMinute == 0 {
            guard try await hasProjectLimits() else { return .admitted }
        }
        let logger = runtime.logger
        let defaults = self.defaults
        return try await runtime.database.transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('rate-user:' || \(user)))", logger: logger)
            for try await _ in try await connection.query("""
                SELECT 1 FROM rate_admissions WHERE user_key = \(user) AND job_id = \(jobId)
                """, logger: logger) { return .admitted }
            var now = Date()
            for try await clock in try await connection.query("SELECT clock_timestamp()", logger: logger).decode(Date.self) {
                now = clock
            }
            var admissions: [Date] = []
            if defaults.user.limit > 0 {
                for try await at in try await connection.query("""
                    SELECT admitted_at FROM rate_admissions
                    WHERE user_key = \(user) AND admitted_at > \(now.addingTimeInterval(-defaults.user.seconds))
                    ORDER BY admitted_at
                    """, logger: logger).decode(Date.self) { admissions.append(at) }
            }
            let window = defaults.user.decide(admissions: admissions, now: now)
            let bucket = try await Self.bucket(project, defaults: defaults.project, on: connection, logger: logger)
            var (projectDecision, tokens) = (RateDecision.admit, 0.0)
            if let (limits, level, since) = bucket {
                (projectDecision, tokens) = limits.take(tokens: level, since: since, now: now)
            }
            switch (window, projectDecision) {
            case (.admit, .admit):
                try await connection.query("""
                    INSERT INTO rate_admissions (user_key, job_id, admitted_at) VALUES (\(user), \(jobId), \(now))
                    """, logger: logger)
                if bucket != nil {
                    try await connection.query("""
                        UPDATE rate_buckets SET tokens = \(tokens), updated_at = \(now) WHERE project = \(project)
                        """, logger: logger)
                }
                return .admitted
            default:
                var reasons: [String] = []
                var until = now
                if case .wait(let time) = window {
                    reasons.append("user \(user) is over \(defaults.user.limit) jobs per \(Int(defaults.user.seconds)) s")
                    until = max(until, time)
                }
                if case .wait(let time) = projectDecision, let limits = bucket?.0 {
                    reasons.append("project \(project) is over \(Int(limits.perMinute)) jobs per minute (burst \(Int(limits.burst)))")
                    until = max(until, time)
                }
                return .limited(until: until, reason: reasons.joined(separator: "; "))
            }
        }
    }

    /// The project's bucket (its own limits, else the default), locked, with its level and time.
    private static func bucket(_ project: String, defaults: TokenBucket, on connection: PostgresConnection,
                               logger: Logger) async throws -> (TokenBucket, Double, Date)? {
        var limits = defaults
        for try await (perMinute, burst) in try await connection.query("""
            SELECT jobs_per_minute, jobs_burst FROM project_limits WHERE project = \(project)
            """, logger: logger).decode((Int, Int).self) {
            limits = TokenBucket(perMinute: Double(perMinute), burst: Double(burst))
        }
        guard limits.perMinute > 0 else { return nil }
        try await connection.query("""
            INSERT INTO rate_buckets (project, tokens, updated_at) VALUES (\(project), \(limits.burst), clock_timestamp())
            ON CONFLICT (project) DO NOTHING
            """, logger: logger)
        for try await (tokens, at) in try await connection.query("""
            SELECT tokens, updated_at FROM rate_buckets WHERE project = \(project) FOR UPDATE
            """, logger: logger).decode((Double, Date).self) {
            return (limits, tokens, at)
        }
        return nil
    }

    private func hasProjectLimits() async throws -> Bool {
        for try await _ in try await runtime.database.query("SELECT 1 FROM project_limits WHERE jobs_per_minute > 0 LIMIT 1",
                                                            logger: runtime.logger) { return true }
        return false
    }

    /// Sets (or, with nil, removes) a project's own limits.
    func set(_ project: String, _ limits: ProjectLimits?) async throws {
        guard let limits else {
            try await runtime.database.query("DELETE FROM project_limits WHERE project = \(project)", logger: runtime.logger)
            return
        }
        let burst = TokenBucket.burst(limits.jobsBurst, perMinute: limits.jobsPerMinute)
        let itemsBurst = limits.itemsPerMinute.map { TokenBucket.burst(limits.itemsBurst, perMinute: $0) }
        try await runtime.database.query("""
            INSERT INTO project_limits (project, jobs_per_minute, jobs_burst, items_per_minute, items_burst)
            VALUES (\(project), \(limits.jobsPerMinute), \(burst), \(limits.itemsPerMinute), \(itemsBurst))
            ON CONFLICT (project) DO UPDATE SET jobs_per_minute = excluded.jobs_per_minute, jobs_burst = excluded.jobs_burst,
                items_per_minute = excluded.items_per_minute, items_burst = excluded.items_burst, changed_at = now()
            """, logger: runtime.logger)
    }

    /// A project's limits in force: its own, else the defaults (jobs and items separately).
    func limits(_ project: String) async throws -> ProjectLimits {
        var limits = ProjectLimits(jobsPerMinute: Int(defaults.project.perMinute), jobsBurst: Int(defaults.project.burst),
                                   itemsPerMinute: Int(defaults.items.perMinute), itemsBurst: Int(defaults.items.burst))
        for try await (perMinute, burst, itemsPerMinute, itemsBurst) in try await runtime.database.query("""
            SELECT jobs_per_minute, jobs_burst, items_per_minute, items_burst FROM project_limits WHERE project = \(project)
            """, logger: runtime.logger).decode((Int, Int, Int?, Int?).self) {
            limits.jobsPerMinute = perMinute
            limits.jobsBurst = burst
            if let itemsPerMinute {
                limits.itemsPerMinute = itemsPerMinute
                limits.itemsBurst = itemsBurst ?? TokenBucket.burst(nil, perMinute: itemsPerMinute)
            }
        }
        return limits
    }

    /// The call-step item limit a job of `project` runs under (nil: none).
    func itemRate(_ project: String) async throws -> ItemRate? {
        let limits = try await limits(project)
        guard let perMinute = limits.itemsPerMinute, perMinute > 0 else { return nil }
        return ItemRate(perMinute: perMinute, burst: limits.itemsBurst ?? perMinute)
    }

    /// The buckets for the status view: each user with admissions in the current window, and
    /// each project with a bucket, with what is left and what waits.
    func buckets() async throws -> [RateLimitBucket] {
        var buckets: [RateLimitBucket] = []
        let waiting = try await JobControls.rateLimited(database: runtime.database, logger: runtime.logger)
        if defaults.user.limit > 0 {
            for try await (user, count) in try await runtime.database.query("""
                SELECT user_key, count(*)::bigint FROM rate_admissions
                WHERE admitted_at > clock_timestamp() - make_interval(secs => \(defaults.user.seconds))
                GROUP BY user_key ORDER BY user_key
                """, logger: runtime.logger).decode((String, Int64).self) {
                buckets.append(RateLimitBucket(scope: "user", key: user, subject: "jobs", limit: defaults.user.limit,
                                               available: max(0, defaults.user.limit - Int(count)), waiting: 0))
            }
        }
        for try await (project, tokens, at, ownRate, ownBurst) in try await runtime.database.query("""
            SELECT b.project, b.tokens, b.updated_at, l.jobs_per_minute, l.jobs_burst
            FROM rate_buckets b LEFT JOIN project_limits l ON l.project = b.project ORDER BY b.project
            """, logger: runtime.logger).decode((String, Double, Date, Int?, Int?).self) {
            let limits = ownRate.map { TokenBucket(perMinute: Double($0), burst: Double(ownBurst ?? $0)) } ?? defaults.project
            guard limits.perMinute > 0 else { continue }
            buckets.append(RateLimitBucket(scope: "project", key: project, subject: "jobs", limit: Int(limits.perMinute),
                                           available: Int(limits.level(tokens: tokens, since: at, now: Date())),
                                           waiting: waiting[project] ?? 0))
        }
        return buckets
    }
}
