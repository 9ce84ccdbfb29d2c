import Aggregation
import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime
import Tabular

extension MetricStore {
    /// The partials of `metric` (that version) of jobs published in `[start, end)`.
    func partials(_ metric: String, version: Int, from start: Date, to end: Date)
        async throws -> (groups: [MetricPartials.Group], jobs: Set<String>, problems: [String]) {
        let rows = try await runtime.database.query("""
            SELECT job_id, partials::text, problem FROM metric_partials
            WHERE metric = \(metric) AND version = \(version) AND published_at >= \(start) AND published_at < \(end)
            """, logger: runtime.logger)
        var groups: [MetricPartials.Group] = []
        var jobs = Set<String>()
        var problems: [String] = []
        for try await (job, text, problem) in rows.decode((String, String, String?).self) {
            jobs.insert(job)
            if let problem { problems.append("job \(job): \(problem)") }
            groups += try JSONCoding.decode([MetricPartials.Group].self, from: Array(text.utf8))
        }
        return (groups, jobs, problems)
    }

    /// Jobs published in `[start, end)` that `definition`'s source selects.
    func selectedJobs(_ definition: MetricDefinition, from start: Date, to end: Date) async throws -> Set<String> {
        let rows = try await runtime.database.query("""
            SELECT job_id, project, tags::text, dataset_key FROM published_jobs
            WHERE published_at >= \(start) AND published_at < \(end)
            """, logger: runtime.logger)
        var selected = Set<String>()
        for try await (job, project, tags, key) in rows.decode((String, String, String, String?).self) {
            let tagMap = (try? JSONCoding.decode([String: String].self, from: Array(tags.utf8))) ?? [:]
            if definition.selects(project: project, tags: tagMap, datasetKey: key) { selected.insert(job) }
        }
        return selected
    }

    /// Replaces the values of `metric` for the period starting at `start` with `values`.
    func replace(_ definition: MetricDefinition, period: PeriodWindow, values: [ComputedValue], at now: Date) async throws {
        let expires = now.addingTimeInterval(Double(definition.ttlDays ?? 365) * 86_400)
        try await runtime.transaction { connection, _ in
            try await connection.query("""
                DELETE FROM metric_values WHERE metric = \(definition.name) AND period_start = \(period.start)
                """, logger: runtime.logger)
            for value in values {
                let dimensions = String(decoding: try JSONCoding.encode(value.dimensions), as: UTF8.self)
                try await connection.query("""
                    INSERT INTO metric_values (metric, version, period_start, period_end, dimensions, value, score, unit,
                                               computed_at, expires_at)
                    VALUES (\(definition.name), \(definition.version ?? 1), \(period.start), \(period.end), \(dimensions)::jsonb,
                            \(value.value), \(value.score), \(definition.unit), \(now), \(expires))
                    """, logger: runtime.logger)
            }
        }
    }

    /// Records how one computation went.
    func recordRun(_ run: MetricRun) async throws {
        try await runtime.database.query("""
            INSERT INTO metric_runs (metric, version, period_start, period_end, outcome, error, jobs, missing, groups,
                                     requested_by, started_at, finished_at)
            VALUES (\(run.metric), \(run.version), \(run.periodStart), \(run.periodEnd), \(run.outcome), \(run.error),
                    \(run.jobs), \(run.missing), \(run.groups), \(run.requestedBy), \(run.startedAt), \(run.finishedAt))
            """, logger: runtime.logger)
    }

    /// Stored values of `metric`, newest period first, filtered by dimensions and period start.
    func values(_ metric: String, version: Int? = nil, dimensions: [String: String], from: Date?, to: Date?,
                limit: Int) async throws -> [CalculatedValue] {
        let filter = String(decoding: try JSONCoding.encode(dimensions), as: UTF8.self)
        let rows = try await runtime.database.query("""
            SELECT metric, version, period_start, period_end, dimensions::text, value, score, unit, computed_at, expires_at
            FROM metric_values
            WHERE metric = \(metric) AND dimensions @> \(filter)::jsonb AND expires_at > now()
              AND (\(version)::integer IS NULL OR version = \(version))
              AND (\(from)::timestamptz IS NULL OR period_start >= \(from)) AND (\(to)::timestamptz IS NULL OR period_start < \(to))
            ORDER BY period_start DESC, dimensions::text LIMIT \(limit)
            """, logger: runtime.logger)
        var result: [CalculatedValue] = []
        for try await r in rows.decode((String, Int, Date, Date, String, Double, Double?, String?, Date, Date).self) {
            let dims = try JSONCoding.decode([String: String?].self, from: Array(r.4.utf8))
            result.append(CalculatedValue(name: r.0, version: r.1, periodStart: r.2, periodEnd: r.3, dimensions: dims,
                                          value: r.5, score: r.6, unit: r.7, computedAt: r.8, expiresAt: r.9))
        }
        return result
    }

    /// Removes incident records opened before `cutoff` (the cleanup action).
    func purgeIncidents(openedBefore cutoff: Date) async throws {
        try await runtime.database.query("DELETE FROM incident_events WHERE opened_at < \(cutoff)", logger: runtime.logger)
    }

    /// Removes expired values (the cleanup action); returns how many.
    func purgeExpired(now: Date = Date()) async throws -> Int {
        var removed = 0
        for try await _ in try await runtime.database.query(
            "DELETE FROM metric_values WHERE expires_at <= \(now) RETURNING 1", logger: runtime.logger) {
            removed += 1
        }
        return removed
    }
}

extension MetricStore {
    /// Incidents opened in `[start, end)`, as rows of ``MetricEvaluation/incidentColumns``.
    func incidentRows(from start: Date, to end: Date) async throws -> [[CellValue]] {
        let rows = try await runtime.database.query("""
            SELECT service, error_type, title FROM incident_events WHERE opened_at >= \(start) AND opened_at < \(end)
            """, logger: runtime.logger)
        var result: [[CellValue]] = []
        for try await (service, type, title) in rows.decode((String, String, String).self) {
            result.append([.string(service), .string(type), .string(title)])
        }
        return result
    }

    /// Jobs that ended in `[start, end)`, as rows of ``MetricEvaluation/jobColumns``.
    func jobRows(from start: Date, to end: Date) async throws -> [[CellValue]] {
        let rows = try await runtime.database.query("""
            SELECT state, coalesce(name, job_id), rows_valid, rows_invalid,
                   EXTRACT(EPOCH FROM (finished_at - coalesce(submitted_at, finished_at)))::double precision
            FROM job_progress WHERE finished_at >= \(start) AND finished_at < \(end)
            """, logger: runtime.logger)
        var result: [[CellValue]] = []
        for try await (state, name, valid, invalid, seconds) in rows.decode((String, String, Int, Int, Double).self) {
            result.append([.string(state), .string(name), .integer(Int64(valid)), .integer(Int64(invalid)), .number(seconds)])
        }
        return result
    }
}
