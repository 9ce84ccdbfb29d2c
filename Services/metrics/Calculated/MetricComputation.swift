import Aggregation
import APIModels
import Contracts
import Foundation
import Runtime
import Toolkit

/// Computes metrics for periods: each metric and period on its own, with its own outcome
/// (`metric_runs`) and, when it fails or times out, its own incident (`metric.failed`), so one
/// failing metric never stops the others. A recomputation of a period replaces its values.
struct MetricComputation {
    let runtime: RuntimeContext
    /// How long one metric's period may take (`metrics.compute.timeout.s`, default 30 minutes).
    let timeout: Duration

    var store: MetricStore { MetricStore(runtime: runtime) }

    /// Computes every `(definition, period)` pair, in order; returns their runs. `cause` (the
    /// request's message id) makes a failure's report the same when the request comes again.
    func run(_ work: [(MetricDefinition, [PeriodWindow])], requestedBy: String?, cause: String) async -> [MetricRun] {
        var runs: [MetricRun] = []
        for (definition, periods) in work {
            for period in periods {
                let started = Date()
                var run = MetricRun(metric: definition.name, version: definition.version ?? 1, periodStart: period.start,
                                    periodEnd: period.end, outcome: "computed", error: nil, jobs: 0, missing: 0, groups: 0,
                                    requestedBy: requestedBy, startedAt: started, finishedAt: started)
                do {
                    let counts = try await withTimeout { try await compute(definition, period) }
                    (run.jobs, run.missing, run.groups) = (counts.jobs, counts.missing, counts.groups)
                    if counts.missing > 0 || !counts.problems.isEmpty {
                        run.outcome = "incomplete"
                        run.error = ((counts.missing > 0 ? ["\(counts.missing) selected job(s) published without partials"] : [])
                            + counts.problems.prefix(3)).joined(separator: "; ")
                    }
                } catch let error as SluiceError where error.code == "metrics.timeout" {
                    run.outcome = "timed-out"
                    run.error = error.message
                } catch {
                    run.outcome = "failed"
                    run.error = (error as? SluiceError)?.message ?? "\(error)"
                }
                run.finishedAt = Date()
                try? await store.recordRun(run)
                if run.outcome == "failed" || run.outcome == "timed-out" { await report(run, cause: cause) }
                runtime.logger.info("metric computed", metadata: [
                    "metric": "\(run.metric)", "period_start": "\(run.periodStart)", "outcome": "\(run.outcome)",
                    "jobs": "\(run.jobs)", "groups": "\(run.groups)"])
                runs.append(run)
            }
        }
        return runs
    }

    private func compute(_ definition: MetricDefinition, _ period: PeriodWindow)
        async throws -> (jobs: Int, missing: Int, groups: Int, problems: [String]) {
        let groups: [MetricPartials.Group]
        var jobs = 0, missing = 0
        var problems: [String] = []
        switch definition.source.kind {
        case .datasets:
            let found = try await store.partials(definition.name, version: definition.version ?? 1, from: period.start, to: period.end)
            groups = found.groups
            jobs = found.jobs.count
            problems = found.problems
            missing = try await store.selectedJobs(definition, from: period.start, to: period.end).subtracting(found.jobs).count
        case .jobs, .incidents:
            let columns = MetricEvaluation.columns(definition.source.kind) ?? []
            var collector = PartialCollector(definitions: [definition], columns: columns, tags: [:])
            let rows = definition.source.kind == .jobs ? try await store.jobRows(from: period.start, to: period.end)
                : try await store.incidentRows(from: period.start, to: period.end)
            for row in rows { collector.add(row: row) }
            groups = collector.partials.first?.groups ?? []
            jobs = rows.count
        }
        try Task.checkCancellation()
        let values = MetricEvaluation.values(definition, groups: groups)
        try await store.replace(definition, period: period, values: values, at: Date())
        return (jobs, missing, values.count, problems)
    }

    /// The work's result, or a timeout error once `timeout` has passed: then the work is
    /// cancelled and answered for at once (a database query in flight ends on its own; the work
    /// checks for cancellation before it writes anything).
    private func withTimeout<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let limit = timeout
        let task = Task { try await work() }
        let answered = LockedValue(false)
        return try await withCheckedThrowingContinuation { continuation in
            func answer(_ result: Result<T, any Error>) {
                if answered.update({ done in defer { done = true }; return !done }) { continuation.resume(with: result) }
            }
            Task {
                do { answer(.success(try await task.value)) } catch { answer(.failure(error)) }
            }
            Task {
                try? await Task.sleep(for: limit)
                task.cancel()
                answer(.failure(SluiceError.permanent("metrics.timeout",
                                                      "the computation took longer than \(limit) (metrics.compute.timeout.s)")))
            }
        }
    }

    /// A failed computation is an incident of its own (`metric.failed`).
    private func report(_ run: MetricRun, cause: String) async {
        let stamp = Int64(run.periodStart.timeIntervalSince1970)
        let failure = MetricFailed(metric: run.metric, version: run.version, periodStart: run.periodStart,
                                   periodEnd: run.periodEnd, outcome: run.outcome, reason: run.error ?? run.outcome)
        do {
            try await runtime.transaction { _, emitter in
                try emitter.emit(Envelope(id: "metric/\(run.metric)/\(stamp)/failed/" + MessageID.hash(cause, "\(run.version)"), jobId: nil,
                                          correlationId: "metric/\(run.metric)", causationId: nil, producer: "metrics",
                                          payload: failure))
            }
        } catch {
            runtime.logger.error("metric failure not reported", metadata: ["metric": "\(run.metric)", "error": "\(error)"])
        }
    }
}
