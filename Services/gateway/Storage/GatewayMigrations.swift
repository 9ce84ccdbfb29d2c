import Storage

/// The gateway's tables (schema `gateway`): identity (projects, users, memberships, tokens,
/// sign-in failures), the read model of jobs it serves, idempotency keys and the audit log.
enum GatewayMigrations {
    static let all = MigrationSet(component: "gateway", migrations: [
        Migration(1, "identity, jobs read model, idempotency, audit", [
            """
            CREATE TABLE projects (
                id          text PRIMARY KEY,
                name        text NOT NULL,
                description text,
                created_at  timestamptz NOT NULL DEFAULT now()
            )
            """,
            // Jobs that name no project (producers publishing job.submit themselves) land here.
            "INSERT INTO projects (id, name, description) VALUES ('default', 'Default', 'Jobs submitted without a project')",
            """
            CREATE TABLE users (
                id            text PRIMARY KEY,
                name          text NOT NULL UNIQUE,
                email         text NOT NULL,
                role          text NOT NULL CHECK (role IN ('admin', 'operator', 'member', 'viewer')),
                password_hash text,
                verified      boolean NOT NULL DEFAULT false,
                disabled      boolean NOT NULL DEFAULT false,
                created_at    timestamptz NOT NULL DEFAULT now(),
                updated_at    timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE UNIQUE INDEX users_email ON users (lower(email))",
            """
            CREATE TABLE memberships (
                user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
                PRIMARY KEY (user_id, project_id)
            )
            """,
            """
            CREATE TABLE tokens (
                id           text PRIMARY KEY,
                user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                kind         text NOT NULL CHECK (kind IN ('api', 'session')),
                name         text NOT NULL,
                hash         text NOT NULL UNIQUE,
                hint         text NOT NULL,
                role         text NOT NULL,
                projects     text[],
                created_at   timestamptz NOT NULL DEFAULT now(),
                expires_at   timestamptz NOT NULL,
                last_used_at timestamptz,
                revoked_at   timestamptz
            )
            """,
            "CREATE INDEX tokens_user ON tokens (user_id)",
            """
            CREATE TABLE sign_in_failures (
                key          text PRIMARY KEY,
                failures     integer NOT NULL,
                first_at     timestamptz NOT NULL,
                locked_until timestamptz
            )
            """,
            """
            CREATE TABLE jobs (
                job_id       text PRIMARY KEY,
                project      text NOT NULL,
                submitter    text,
                name         text NOT NULL,
                tags         jsonb NOT NULL DEFAULT '{}',
                state        text NOT NULL,
                stages       text,
                source       text,
                dataset_key  text,
                chunks       integer,
                chunks_done  integer NOT NULL DEFAULT 0,
                rows_total   bigint,
                rows_valid   bigint,
                rows_invalid bigint,
                error        text,
                incident_id  text,
                artifacts    jsonb,
                submitted_at timestamptz NOT NULL,
                updated_at   timestamptz NOT NULL,
                finished_at  timestamptz
            )
            """,
            "CREATE INDEX jobs_listing ON jobs (submitted_at DESC, job_id DESC)",
            "CREATE INDEX jobs_project ON jobs (project, submitted_at DESC, job_id DESC)",
            "CREATE INDEX jobs_tags ON jobs USING gin (tags)",
            """
            CREATE TABLE idempotency_keys (
                user_id        text NOT NULL,
                key            text NOT NULL,
                request_sha256 text NOT NULL,
                job_id         text NOT NULL,
                created_at     timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (user_id, key)
            )
            """,
            """
            CREATE TABLE audit (
                id      bigserial PRIMARY KEY,
                at      timestamptz NOT NULL DEFAULT now(),
                actor   text NOT NULL,
                action  text NOT NULL,
                target  text,
                project text,
                status  integer NOT NULL,
                address text
            )
            """,
            "CREATE INDEX audit_at ON audit (at DESC)",
        ]),
        Migration(2, "email verification and password reset codes", [
            """
            CREATE TABLE codes (
                user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                purpose    text NOT NULL CHECK (purpose IN ('verification', 'password-reset')),
                code_hash  text NOT NULL,
                expires_at timestamptz NOT NULL,
                used_at    timestamptz,
                attempts   integer NOT NULL DEFAULT 0,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (user_id, purpose)
            )
            """,
        ]),
        Migration(3, "job priorities", [
            "ALTER TABLE jobs ADD COLUMN priority text NOT NULL DEFAULT 'normal'",
        ]),
        Migration(4, "job states, event history and project controls", [
            """
            UPDATE jobs SET state = CASE state WHEN 'submitted' THEN 'queued' WHEN 'ingested' THEN 'in_progress'
                                               WHEN 'published' THEN 'completed' ELSE state END
            """,
            "ALTER TABLE jobs ADD COLUMN resume_state text",
            "ALTER TABLE jobs ADD COLUMN paused_by text CHECK (paused_by IN ('job', 'project'))",
            "ALTER TABLE jobs ADD COLUMN not_before timestamptz",
            "CREATE INDEX jobs_state ON jobs (state, priority)",
            """
            CREATE TABLE job_events (
                id         bigserial PRIMARY KEY,
                job_id     text NOT NULL,
                at         timestamptz NOT NULL,
                kind       text NOT NULL,
                state      text NOT NULL,
                actor      text,
                message    text NOT NULL,
                not_before timestamptz
            )
            """,
            "CREATE INDEX job_events_job ON job_events (job_id, id)",
            """
            CREATE TABLE project_controls (
                project    text PRIMARY KEY,
                state      text NOT NULL CHECK (state IN ('paused', 'running')),
                note       text,
                changed_by text,
                changed_at timestamptz NOT NULL DEFAULT now()
            )
            """,
        ]),
        Migration(5, "batches", [
            """
            CREATE TABLE batches (
                id           text PRIMARY KEY,
                project      text NOT NULL,
                name         text NOT NULL,
                submitter    text,
                notify       jsonb,
                state        text NOT NULL CHECK (state IN ('open', 'running', 'completed', 'failed', 'cancelled')),
                cancelled_at timestamptz,
                created_at   timestamptz NOT NULL,
                closed_at    timestamptz,
                finished_at  timestamptz
            )
            """,
            "CREATE INDEX batches_project ON batches (project, created_at DESC)",
            "ALTER TABLE jobs ADD COLUMN batch_id text",
            "CREATE INDEX jobs_batch ON jobs (batch_id, submitted_at) WHERE batch_id IS NOT NULL",
        ]),
        Migration(6, "the order of job controls; submissions held for a paused project", [
            "CREATE SEQUENCE control_seq",
            "ALTER TABLE jobs ADD COLUMN held_submit text",
        ]),
        Migration(7, "the dataset catalog", [
            """
            CREATE TABLE datasets (
                project    text NOT NULL,
                name       text NOT NULL,
                entry      jsonb NOT NULL,
                tags       jsonb NOT NULL DEFAULT '{}',
                created_by text NOT NULL,
                created_at timestamptz NOT NULL,
                updated_by text NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (project, name)
            )
            """,
            "CREATE INDEX datasets_tags ON datasets USING gin (tags)",
            "CREATE INDEX jobs_dataset ON jobs (dataset_key, submitted_at DESC) WHERE dataset_key IS NOT NULL",
        ]),
    ])
}
