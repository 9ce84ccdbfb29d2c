import Aggregation
import Contracts
import Foundation
import Logging
import Outbound

/// The calculated-metric definitions, as the metrics service has them (`GET /definitions`),
/// fetched again at most every `ttl`. When the metrics service cannot be asked, the last
/// list is used; without one, jobs get no partials (and the metrics service counts them as
/// missing when it computes).
actor MetricDefinitionCache {
    private let url: String
    private let authorization: String?
    private let logger: Logger
    private let ttl: TimeInterval
    private var known: [MetricDefinition]?
    private var fetchedAt = Date.distantPast

    init(url: String, authorization: String?, logger: Logger, ttl: TimeInterval = 10) {
        self.url = url
        self.authorization = authorization
        self.logger = logger
        self.ttl = ttl
    }

    /// The definitions whose source selects a job of `project` with `job`'s tags and dataset.
    func selecting(_ job: JobContext, project: String?) async -> [MetricDefinition] {
        await refresh()
        return (known ?? []).filter {
            $0.selects(project: project, tags: job.tags, datasetKey: job.effectiveOptions.datasetKey)
        }
    }

    private func refresh() async {
        guard Date().timeIntervalSince(fetchedAt) >= ttl else { return }
        fetchedAt = Date()
        do {
            let response = try await Outbound.post(url: url + "/definitions", body: [], method: "GET",
                                                   headers: authorization.map { ["Authorization": $0] } ?? [:],
                                                   timeout: .seconds(5), maxResponseBytes: 16 << 20)
            guard response.status == 200 else { throw SluiceError.transient("publish.metrics-unavailable", "HTTP \(response.status)") }
            known = try JSONCoding.decode([MetricDefinition].self, from: response.body)
        } catch {
            logger.warning("calculated-metric definitions not fetched; jobs published now may lack their partials",
                           metadata: ["url": "\(url)", "error": "\(error)"])
        }
    }
}
