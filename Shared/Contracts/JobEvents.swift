/// `job.ingested`: ingest finished reading the source.
public struct JobIngested: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.jobIngested
    /// The job.
    public var job: JobContext
    /// How many `chunk.ingested` messages the job has (0 for a header-only source).
    public var chunkCount: Int
    /// How many records were read.
    public var rowCount: Int
    /// Header names.
    public var columns: [String]
    /// What was read: format, encoding, size and content hash.
    public var source: SourceInfo?

    /// Creates the payload.
    public init(job: JobContext, chunkCount: Int, rowCount: Int, columns: [String], source: SourceInfo? = nil) {
        self.job = job
        self.chunkCount = chunkCount
        self.rowCount = rowCount
        self.columns = columns
        self.source = source
    }
}

/// A description of a job's stored input.
public struct SourceInfo: Codable, Sendable, Hashable {
    /// The format read (`csv`, `tsv`, `jsonl`, `json`, `xlsx`, `text`).
    public var format: String
    /// The text encoding decoded (`utf-8` or `windows-1252`; absent for XLSX).
    public var encoding: String?
    /// Input size in bytes.
    public var bytes: Int
    /// Hex SHA-256 of the input bytes; also the incremental-processing fingerprint.
    public var sha256: String

    /// Creates a description.
    public init(format: String, encoding: String?, bytes: Int, sha256: String) {
        self.format = format
        self.encoding = encoding
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// `job.skipped`: the job's input is byte-identical to the last processed input of its
/// dataset, so nothing ran (submit with `options.force` to process it anyway).
public struct JobSkipped: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.jobSkipped
    /// The job.
    public var job: JobContext
    /// The dataset key.
    public var datasetKey: String
    /// Hex SHA-256 of the unchanged input.
    public var sha256: String
    /// The job that last processed this content.
    public var previousJobId: String

    /// Creates the payload.
    public init(job: JobContext, datasetKey: String, sha256: String, previousJobId: String) {
        self.job = job
        self.datasetKey = datasetKey
        self.sha256 = sha256
        self.previousJobId = previousJobId
    }
}

/// `job.republish`: publish-only; publish emits the job's `job.published` again (with a new
/// id, so notify delivers it again) from the results it already stored.
public struct JobRepublish: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.jobRepublish
    /// The job whose results are published again.
    public var jobId: String
    /// The submission that asked, making the re-publication's message ids unique per request.
    public var requestId: String

    /// Creates the payload.
    public init(jobId: String, requestId: String) {
        self.jobId = jobId
        self.requestId = requestId
    }
}

/// A stored, downloadable output of a job.
public struct ArtifactRef: Codable, Sendable, Hashable {
    /// File name, e.g. `output.csv`.
    public var name: String
    /// MIME type.
    public var contentType: String
    /// Size in bytes.
    public var bytes: Int
    /// Hex SHA-256 of the content.
    public var sha256: String

    /// Creates a reference.
    public init(name: String, contentType: String, bytes: Int, sha256: String) {
        self.name = name
        self.contentType = contentType
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// `job.published`: the job's artifacts are stored.
public struct JobPublished: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.jobPublished
    /// The job.
    public var job: JobContext
    /// What was stored.
    public var artifacts: [ArtifactRef]
    /// Records read from the source.
    public var rowsTotal: Int
    /// Records in the output.
    public var rowsValid: Int
    /// Records dropped as invalid.
    public var rowsInvalid: Int
    /// When publish sends an earlier job's results again (`job.republish`): the publish-only
    /// job that asked, which this ends too.
    public var requestId: String?

    /// Creates the payload.
    public init(job: JobContext, artifacts: [ArtifactRef], rowsTotal: Int, rowsValid: Int, rowsInvalid: Int,
                requestId: String? = nil) {
        self.requestId = requestId
        self.job = job
        self.artifacts = artifacts
        self.rowsTotal = rowsTotal
        self.rowsValid = rowsValid
        self.rowsInvalid = rowsInvalid
    }
}

/// `job.failed`: a job stopped; `reason` says what a person can do about it.
public struct JobFailed: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.jobFailed
    /// The job.
    public var job: JobContext
    /// The stage that failed it (`ingest`, `validate`, …).
    public var stage: String
    /// A stable error code, e.g. `validate.missing-column`.
    public var code: String
    /// What went wrong and what to do.
    public var reason: String

    /// Creates the payload.
    public init(job: JobContext, stage: String, code: String, reason: String) {
        self.job = job
        self.stage = stage
        self.code = code
        self.reason = reason
    }
}

/// `incident.opened`: a failure cause not seen before (or not open) became an incident.
public struct IncidentOpened: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.incidentOpened
    /// The incident id.
    public var incidentId: String
    /// The grouping fingerprint.
    public var fingerprint: String
    /// A short title.
    public var title: String
    /// The failing service.
    public var service: String
    /// The message type that failed, if known.
    public var messageType: String?
    /// The error code or type.
    public var errorType: String

    /// Creates the payload.
    public init(incidentId: String, fingerprint: String, title: String, service: String,
                messageType: String?, errorType: String) {
        self.incidentId = incidentId
        self.fingerprint = fingerprint
        self.title = title
        self.service = service
        self.messageType = messageType
        self.errorType = errorType
    }
}
