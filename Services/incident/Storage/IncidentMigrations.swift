import Storage

/// The incident service's schema. Append-only: never edit a released migration.
enum IncidentMigrations {
    static let all = MigrationSet(component: "incident", migrations: [
        Migration(1, "dead letters and incidents", [
            """
            CREATE TABLE incidents (
                id           text PRIMARY KEY,
                fingerprint  text NOT NULL,
                title        text NOT NULL,
                service      text NOT NULL,
                message_type text,
                error_type   text NOT NULL,
                sample_error text NOT NULL,
                state        text NOT NULL DEFAULT 'open',
                count        integer NOT NULL DEFAULT 1,
                first_seen   timestamptz NOT NULL DEFAULT now(),
                last_seen    timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE UNIQUE INDEX incidents_open_fingerprint ON incidents (fingerprint) WHERE state = 'open'",
            """
            CREATE TABLE dead_letters (
                id             text PRIMARY KEY,
                kind           text NOT NULL,
                queue          text NOT NULL,
                service        text NOT NULL,
                message_id     text,
                message_type   text,
                job_id         text,
                correlation_id text,
                error_type     text NOT NULL,
                error_text     text NOT NULL,
                attempts       integer NOT NULL,
                headers        jsonb NOT NULL,
                body           bytea NOT NULL,
                fingerprint    text NOT NULL,
                incident_id    text REFERENCES incidents (id),
                first_failure  text,
                last_failure   text,
                received_at    timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX dead_letters_job ON dead_letters (job_id)",
            "CREATE INDEX dead_letters_incident ON dead_letters (incident_id)",
        ]),
        Migration(2, "incident workflow, known errors, re-drives and audit", [
            // An incident being worked on still collects its failures.
            "DROP INDEX incidents_open_fingerprint",
            "CREATE UNIQUE INDEX incidents_active_fingerprint ON incidents (fingerprint) WHERE state IN ('open', 'in_progress')",
            "CREATE INDEX incidents_fingerprint ON incidents (fingerprint, last_seen DESC)",
            """
            ALTER TABLE incidents
                ADD COLUMN severity          text NOT NULL DEFAULT 'medium',
                ADD COLUMN rule_id           text,
                ADD COLUMN rule_version      integer,
                ADD COLUMN rule_root_cause   text,
                ADD COLUMN rule_action       text,
                ADD COLUMN runbook           text,
                ADD COLUMN default_title     text,
                ADD COLUMN assignee          text,
                ADD COLUMN root_cause        text,
                ADD COLUMN corrective_action text,
                ADD COLUMN impact            text,
                ADD COLUMN reopened          integer NOT NULL DEFAULT 0,
                ADD COLUMN redrives          integer NOT NULL DEFAULT 0,
                ADD COLUMN redriven          integer NOT NULL DEFAULT 0,
                ADD COLUMN redrive_succeeded integer NOT NULL DEFAULT 0,
                ADD COLUMN redrive_failed    integer NOT NULL DEFAULT 0,
                ADD COLUMN alerted_threshold integer NOT NULL DEFAULT 0,
                ADD COLUMN resolved_at       timestamptz,
                ADD COLUMN archived_at       timestamptz,
                ADD COLUMN updated_at        timestamptz NOT NULL DEFAULT now()
            """,
            "UPDATE incidents SET default_title = title",
            """
            ALTER TABLE dead_letters
                ADD COLUMN state                text NOT NULL DEFAULT 'pending',
                ADD COLUMN state_reason         text,
                ADD COLUMN properties           bytea,
                ADD COLUMN target_queue         text,
                ADD COLUMN original_exchange    text,
                ADD COLUMN original_routing_key text,
                ADD COLUMN error_context        text,
                ADD COLUMN redrive_count        integer NOT NULL DEFAULT 0,
                ADD COLUMN redrive_id           text,
                ADD COLUMN redriven_from        text
            """,
            "CREATE INDEX dead_letters_received ON dead_letters (received_at DESC)",
            "CREATE INDEX dead_letters_correlation ON dead_letters (correlation_id)",
            "CREATE INDEX dead_letters_state ON dead_letters (incident_id, state)",
            """
            CREATE TABLE incident_events (
                seq         bigserial PRIMARY KEY,
                incident_id text NOT NULL REFERENCES incidents (id),
                at          timestamptz NOT NULL DEFAULT now(),
                last_at     timestamptz NOT NULL DEFAULT now(),
                kind        text NOT NULL,
                actor       text NOT NULL,
                detail      jsonb NOT NULL DEFAULT '{}'
            )
            """,
            "CREATE INDEX incident_events_incident ON incident_events (incident_id, seq)",
            """
            CREATE TABLE known_errors (
                id                   text PRIMARY KEY,
                error_pattern        text,
                error_type_pattern   text,
                service_pattern      text,
                message_type_pattern text,
                severity             text NOT NULL,
                title                text NOT NULL,
                root_cause           text,
                action               text,
                runbook              text,
                priority             integer NOT NULL DEFAULT 100,
                enabled              boolean NOT NULL DEFAULT true,
                builtin              boolean NOT NULL DEFAULT false,
                version              integer NOT NULL DEFAULT 1,
                updated_at           timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE redrives (
                id           text PRIMARY KEY,
                incident_id  text REFERENCES incidents (id),
                state        text NOT NULL,
                rate         double precision NOT NULL,
                canary       boolean NOT NULL,
                total        integer NOT NULL,
                sent         integer NOT NULL DEFAULT 0,
                succeeded    integer NOT NULL DEFAULT 0,
                failed       integer NOT NULL DEFAULT 0,
                actor        text NOT NULL,
                stop_reason  text,
                created_at   timestamptz NOT NULL DEFAULT now(),
                started_at   timestamptz,
                finished_at  timestamptz,
                updated_at   timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX redrives_active ON redrives (created_at) WHERE state IN ('canary', 'running')",
            """
            CREATE TABLE redrive_items (
                redrive_id     text NOT NULL REFERENCES redrives (id),
                dead_letter_id text NOT NULL REFERENCES dead_letters (id),
                position       integer NOT NULL,
                state          text NOT NULL DEFAULT 'pending',
                error          text,
                sent_at        timestamptz,
                settled_at     timestamptz,
                PRIMARY KEY (redrive_id, dead_letter_id)
            )
            """,
            "CREATE INDEX redrive_items_order ON redrive_items (redrive_id, position)",
            """
            CREATE TABLE audit_log (
                seq     bigserial PRIMARY KEY,
                at      timestamptz NOT NULL DEFAULT now(),
                actor   text NOT NULL,
                action  text NOT NULL,
                target  text NOT NULL,
                detail  jsonb NOT NULL DEFAULT '{}'
            )
            """,
        ]),
    ])
}
