import Contracts
import Foundation

/// A dataset catalog entry as a person writes it (`POST /api/v1/projects/{project}/datasets`,
/// `sluice datasets add`; docs/datasets.md): where the data comes from and how to process it.
/// Running the entry submits a job built from it, with the dataset key `<project>/<name>`.
public struct DatasetEntry: Codable, Sendable, Hashable {
    /// The name within the project: letters, digits, `.`, `_` and `-`, at most 100.
    public var name: String
    /// What it is, for people.
    public var description: String?
    /// Where it comes from: `url` (`http(s)://` or `s3://bucket/key`) or `path` (on the server).
    public var source: JobSubmit.Source
    /// The format (absent: detected from the name and content).
    public var format: String?
    /// Labels to select it by (e.g. `category`, `course`); its jobs carry them.
    public var tags: [String: String]?
    /// A schema stored for the project, `NAME` or `NAME@VERSION`.
    public var schemaName: String?
    /// A plan stored for the project, `NAME` or `NAME@VERSION`.
    public var planName: String?
    /// The artifacts to produce (absent: the default set).
    public var outputs: [JobOptions.Output]?
    /// Who hears about each job's outcome.
    public var notify: NotifySpec?
    /// Other job options (aggregates, standardize, sheet, encoding, invalid rows); stages,
    /// dataset key, force and run date are the run's.
    public var options: JobOptions?
    /// How soon its work is done.
    public var priority: Priority?
    /// Records per chunk.
    public var chunkSize: Int?

    /// An entry.
    public init(name: String, description: String? = nil, source: JobSubmit.Source, format: String? = nil,
                tags: [String: String]? = nil, schemaName: String? = nil, planName: String? = nil,
                outputs: [JobOptions.Output]? = nil, notify: NotifySpec? = nil, options: JobOptions? = nil,
                priority: Priority? = nil, chunkSize: Int? = nil) {
        self.name = name
        self.description = description
        self.source = source
        self.format = format
        self.tags = tags
        self.schemaName = schemaName
        self.planName = planName
        self.outputs = outputs
        self.notify = notify
        self.options = options
        self.priority = priority
        self.chunkSize = chunkSize
    }
}

/// A catalog entry as the gateway keeps and shows it.
public struct Dataset: Codable, Sendable, Hashable {
    /// `<project>/<name>`: the dataset key of its jobs.
    public var key: String
    /// Its project.
    public var project: String
    /// The entry.
    public var entry: DatasetEntry
    /// Who made and last changed it, and when.
    public var createdBy: String
    public var createdAt: Date
    public var updatedBy: String
    public var updatedAt: Date
    /// Its latest job, if it has run (`sluice datasets show`).
    public var lastJob: GatewayJob?

    /// A dataset.
    public init(key: String, project: String, entry: DatasetEntry, createdBy: String, createdAt: Date, updatedBy: String,
                updatedAt: Date, lastJob: GatewayJob? = nil) {
        self.key = key
        self.project = project
        self.entry = entry
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
        self.lastJob = lastJob
    }
}

/// `POST /api/v1/projects/{project}/dataset-runs`: run the catalog, or part of it.
public struct DatasetRunRequest: Codable, Sendable, Hashable {
    /// Entries with all these tags (absent or empty: every entry, or the `names`).
    public var tags: [String: String]?
    /// Only these entries.
    public var names: [String]?
    /// `all` (default), `ingest-only`, `analysis-only` or `publish-only`.
    public var stages: JobOptions.Stages?
    /// Process inputs even when unchanged since the dataset's last job.
    public var force: Bool?
    /// The day the jobs run for (`YYYY-MM-DD`; `run_date()` in plans).
    public var runDate: String?
    /// The batch's name (default: what was selected).
    public var batchName: String?

    /// A request.
    public init(tags: [String: String]? = nil, names: [String]? = nil, stages: JobOptions.Stages? = nil, force: Bool? = nil,
                runDate: String? = nil, batchName: String? = nil) {
        self.tags = tags
        self.names = names
        self.stages = stages
        self.force = force
        self.runDate = runDate
        self.batchName = batchName
    }
}

/// What a catalog run did: one batch, one job per dataset that could run, and the reason for
/// each that could not (no stored input yet for `analysis-only`, no completed job for `publish-only`).
public struct DatasetRun: Codable, Sendable, Hashable {
    /// The batch of the jobs (absent when none could run).
    public var batch: Batch?
    /// The job of each dataset that runs.
    public var jobs: [DatasetRunJob]
    /// Datasets left out, with why.
    public var notRun: [DatasetNotRun]

    /// A run.
    public init(batch: Batch?, jobs: [DatasetRunJob], notRun: [DatasetNotRun]) {
        self.batch = batch
        self.jobs = jobs
        self.notRun = notRun
    }
}

/// One dataset's job in a ``DatasetRun``.
public struct DatasetRunJob: Codable, Sendable, Hashable {
    /// The dataset's name.
    public var dataset: String
    /// Its job.
    public var job: String
    /// The job's source (`path`, `url`, or `job` for an earlier job's stored input).
    public var source: String

    /// An entry.
    public init(dataset: String, job: String, source: String) {
        self.dataset = dataset
        self.job = job
        self.source = source
    }
}

/// A dataset a ``DatasetRun`` left out.
public struct DatasetNotRun: Codable, Sendable, Hashable {
    /// The dataset's name.
    public var dataset: String
    /// Why.
    public var reason: String

    /// An entry.
    public init(dataset: String, reason: String) {
        self.dataset = dataset
        self.reason = reason
    }
}
