import Aggregation
import Contracts
import Foundation
import PostgresNIO
import Runtime

/// The calculated metrics' tables (schema `metrics`): definitions by version, each published
/// job's partials, the jobs the sources could select, computed values and computation runs.
struct MetricStore {
    let runtime: RuntimeContext

    static let schema = [
        """
        CREATE TABLE metric_definitions (
            name       text NOT NULL,
            version    integer NOT NULL,
            definition jsonb NOT NULL,
            created_by text,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (name, version)
        )
        """,
        """
        CREATE TABLE metric_partials (
            metric       text NOT NULL,
            version      integer NOT NULL,
            job_id       text NOT NULL,
            published_at timestamptz NOT NULL,
            partials     jsonb NOT NULL,
            problem      text,
            PRIMARY KEY (metric, version, job_id)
        )
        """,
        "CREATE INDEX metric_partials_period ON metric_partials (metric, version, published_at)",
        """
        CREATE TABLE published_jobs (
            job_id       text PRIMARY KEY,
            project      text NOT NULL,
            tags         jsonb NOT NULL,
            dataset_key  text,
            published_at timestamptz NOT NULL
        )
        """,
        "CREATE INDEX published_jobs_time ON published_jobs (published_at)",
        """
        CREATE TABLE metric_values (
            metric       text NOT NULL,
            version      integer NOT NULL,
            period_start timestamptz NOT NULL,
            period_end   timestamptz NOT NULL,
            dimensions   jsonb NOT NULL,
            value        double precision NOT NULL,
            score        double precision,
            unit         text,
            computed_at  timestamptz NOT NULL,
            expires_at   timestamptz NOT NULL,
            PRIMARY KEY (metric, period_start, dimensions)
        )
        """,
        "CREATE INDEX metric_values_expiry ON metric_values (expires_at)",
        """
        CREATE TABLE metric_runs (
            id           bigserial PRIMARY KEY,
            metric       text NOT NULL,
            version      integer NOT NULL,
            period_start timestamptz NOT NULL,
            period_end   timestamptz NOT NULL,
            outcome      text NOT NULL,
            error        text,
            jobs         integer,
            missing      integer,
            groups       integer,
            requested_by text,
            started_at   timestamptz NOT NULL,
            finished_at  timestamptz NOT NULL
        )
        """,
    ]

    /// Incidents as they were opened, for metrics over them (migration 5).
    static let incidentSchema = [
        """
        CREATE TABLE incident_events (
            incident_id text PRIMARY KEY,
            opened_at   timestamptz NOT NULL,
            service     text NOT NULL,
            error_type  text NOT NULL,
            title       text NOT NULL
        )
        """,
        "CREATE INDEX incident_events_time ON incident_events (opened_at)",
    ]

    // MARK: Definitions

    /// Stores `definition` as the next version of its name (unchanged: the current one).
    func put(_ new: MetricDefinition, by actor: String?) async throws -> MetricDefinition {
        let current = try await definition(new.name)
        if let current, current.sameRule(as: new) { return current }
        var stored = new
        stored.version = (current?.version ?? 0) + 1
        let text = String(decoding: try JSONCoding.encode(stored), as: UTF8.self)
        try await runtime.database.query("""
            INSERT INTO metric_definitions (name, version, definition, created_by)
            VALUES (\(stored.name), \(stored.version ?? 1), \(text)::jsonb, \(actor))
            """, logger: runtime.logger)
        return stored
    }

    /// The latest version of `name`, or that `version`.
    func definition(_ name: String, version: Int? = nil) async throws -> MetricDefinition? {
        let rows = try await runtime.database.query("""
            SELECT definition::text FROM metric_definitions WHERE name = \(name) AND (\(version)::integer IS NULL OR version = \(version))
            ORDER BY version DESC LIMIT 1
            """, logger: runtime.logger)
        for try await text in rows.decode(String.self) { return try JSONCoding.decode(MetricDefinition.self, from: Array(text.utf8)) }
        return nil
    }

    /// The latest version of every metric, by name.
    func definitions() async throws -> [MetricDefinition] {
        let rows = try await runtime.database.query("""
            SELECT DISTINCT ON (name) definition::text FROM metric_definitions ORDER BY name, version DESC
            """, logger: runtime.logger)
        var result: [MetricDefinition] = []
        for try await text in rows.decode(String.self) {
            result.append(try JSONCoding.decode(MetricDefinition.self, from: Array(text.utf8)))
        }
        return result
    }

    // MARK: Partials

    /// Keeps a published job's partials (a repeated message changes nothing).
    func record(_ message: MetricPartialsReady, on connection: PostgresConnection) async throws {
        for partial in message.partials {
            let text = String(decoding: try JSONCoding.encode(partial.groups), as: UTF8.self)
            try await connection.query("""
                INSERT INTO metric_partials (metric, version, job_id, published_at, partials, problem)
                VALUES (\(partial.metric), \(partial.version), \(message.jobId), \(message.publishedAt), \(text)::jsonb,
                        \(partial.problem))
                ON CONFLICT DO NOTHING
                """, logger: runtime.logger)
        }
    }

    /// Notes an opened incident, for metrics over Sluice's own incidents.
    func opened(_ incident: IncidentOpened, at time: Date, on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO incident_events (incident_id, opened_at, service, error_type, title)
            VALUES (\(incident.incidentId), \(time), \(incident.service), \(incident.errorType), \(incident.title))
            ON CONFLICT DO NOTHING
            """, logger: runtime.logger)
    }

    /// Notes a published job, so a computation can tell which selected jobs lack partials.
    func published(jobId: String, project: String?, tags: [String: String], datasetKey: String?, at time: Date,
                   on connection: PostgresConnection) async throws {
        let text = String(decoding: try JSONCoding.encode(tags), as: UTF8.self)
        try await connection.query("""
            INSERT INTO published_jobs (job_id, project, tags, dataset_key, published_at)
            VALUES (\(jobId), \(project ?? "default"), \(text)::jsonb, \(datasetKey), \(time)) ON CONFLICT DO NOTHING
            """, logger: runtime.logger)
    }
}

extension MetricDefinition {
    /// Equal but for the version the store gives.
    func sameRule(as other: MetricDefinition) -> Bool {
        var a = self, b = other
        a.version = nil
        b.version = nil
        return a == b
    }
}
