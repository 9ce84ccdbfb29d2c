import Aggregation
import Contracts
import Foundation
import Logging
import Outbound
import Runtime
import ServiceLifecycle

/// The calculated-metric definitions, as the metrics service has them (`GET /definitions`),
/// fetched by publish's own loop every `every` (``loop()``), never by a handler: a handler
/// holds a database transaction, and a slow metrics service must not hold it too. When the
/// metrics service cannot be asked, the last list is used; without one, jobs get no partials
/// (the metrics service counts them as missing when it computes).
actor MetricDefinitionCache {
    private let url: String
    private let authorization: String?
    private let logger: Logger
    private let every: Duration
    private var known: [MetricDefinition]?

    init(url: String, authorization: String?, logger: Logger, every: Duration = .seconds(10)) {
        self.url = url
        self.authorization = authorization
        self.logger = logger
        self.every = every
    }

    /// The definitions whose source selects a job of `project` with `job`'s tags and dataset.
    func selecting(_ job: JobContext, project: String?) -> [MetricDefinition] {
        (known ?? []).filter { $0.selects(project: project, tags: job.tags, datasetKey: job.effectiveOptions.datasetKey) }
    }

    /// Fetches the definitions now, then every `every` until the service stops.
    nonisolated func loop() -> LoopService {
        LoopService {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                await self.refresh()
                await sleepUnlessShuttingDown(for: self.every)
            }
        }
    }

    /// Fetches the definitions once (a failure keeps the last list).
    func refresh() async {
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
