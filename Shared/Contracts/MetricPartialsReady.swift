import Aggregation
import Foundation

/// `metric.partials`: the partial aggregates of one published job for every calculated
/// metric whose source selects it, per group (docs/metrics.md). Publish sends it with the
/// job's `job.published`; the metrics service keeps them and adds them up per period, so a
/// metric is computed without reading any dataset again.
public struct MetricPartialsReady: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.metricPartials
    /// The job.
    public var jobId: String
    /// Its project (absent: `default`), tags and dataset.
    public var project: String?
    public var tags: [String: String]
    public var datasetKey: String?
    /// When it was published: the period its partials count in.
    public var publishedAt: Date
    /// One per metric that selects the job (a metric with a `problem` has no groups).
    public var partials: [MetricPartials]

    /// Creates the payload.
    public init(jobId: String, project: String?, tags: [String: String], datasetKey: String?, publishedAt: Date,
                partials: [MetricPartials]) {
        self.jobId = jobId
        self.project = project
        self.tags = tags
        self.datasetKey = datasetKey
        self.publishedAt = publishedAt
        self.partials = partials
    }
}
