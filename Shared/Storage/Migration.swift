/// One numbered, append-only schema change. Never edit a released migration: add a new one.
public struct Migration: Sendable, Hashable {
    /// Position in the component's sequence, starting at 1.
    public var version: Int
    /// A short description.
    public var name: String
    /// SQL statements, run in order inside the migration transaction (one statement each,
    /// since the extended protocol takes one at a time).
    public var statements: [String]

    /// Creates a migration.
    public init(_ version: Int, _ name: String, _ statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

/// A named sequence of migrations. The runtime's own tables (inbox, outbox) are one
/// component and each service's tables another, so they number independently.
public struct MigrationSet: Sendable {
    /// Component name recorded with each applied version.
    public var component: String
    /// The migrations, in version order.
    public var migrations: [Migration]

    /// Creates a set; versions must be 1, 2, 3, … with no gaps.
    public init(component: String, migrations: [Migration]) {
        precondition(migrations.enumerated().allSatisfy { $0.offset + 1 == $0.element.version },
                     "migrations of \(component) must be numbered 1...n without gaps")
        self.component = component
        self.migrations = migrations
    }

    /// The tables every service has: the inbox and the outbox.
    public static let runtime = MigrationSet(component: "runtime", migrations: [
        Migration(1, "inbox and outbox", [
            """
            CREATE TABLE inbox (
                message_id   text PRIMARY KEY,
                message_type text NOT NULL,
                received_at  timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE outbox (
                id          bigserial PRIMARY KEY,
                message_id  text,
                exchange    text NOT NULL,
                routing_key text NOT NULL,
                properties  jsonb NOT NULL,
                body        bytea NOT NULL,
                created_at  timestamptz NOT NULL DEFAULT now(),
                sent_at     timestamptz
            )
            """,
            "CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL",
        ]),
        Migration(2, "outbox publish attempts", [
            "ALTER TABLE outbox ADD COLUMN attempts integer NOT NULL DEFAULT 0",
            "ALTER TABLE outbox ADD COLUMN last_error text",
        ]),
        Migration(3, "delivery counts for poison detection", [
            """
            CREATE TABLE delivery_attempts (
                message_key text NOT NULL,
                queue       text NOT NULL,
                deliveries  integer NOT NULL,
                first_at    timestamptz NOT NULL DEFAULT now(),
                last_at     timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (message_key, queue)
            )
            """,
        ]),
        Migration(4, "job controls and held messages", [
            """
            CREATE TABLE job_controls (
                scope      text NOT NULL CHECK (scope IN ('job', 'project')),
                target     text NOT NULL,
                state      text NOT NULL CHECK (state IN ('paused', 'cancelled', 'running')),
                changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                PRIMARY KEY (scope, target)
            )
            """,
            "CREATE INDEX job_controls_changed ON job_controls (changed_at)",
            """
            CREATE TABLE held_messages (
                id         bigserial PRIMARY KEY,
                job_id     text,
                project    text,
                reason     text NOT NULL CHECK (reason IN ('paused', 'rate_limited')),
                not_before timestamptz,
                queue      text NOT NULL,
                message_id text,
                properties jsonb NOT NULL,
                body       bytea NOT NULL,
                held_at    timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX held_messages_job ON held_messages (job_id)",
            "CREATE INDEX held_messages_project ON held_messages (project)",
        ]),
        Migration(5, "the order of job controls", [
            "ALTER TABLE job_controls ADD COLUMN seq bigint",
        ]),
    ])
}
