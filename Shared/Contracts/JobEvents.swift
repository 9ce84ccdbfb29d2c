/// `job.ingested`: ingest finished reading the source.
public struct JobIngested: MessagePayload, Hashable {
    public static let messageType = MessageType.jobIngested
    /// The job.
    public var job: JobContext
    /// How many `chunk.ingested` messages the job has (0 for a header-only source).
    public var chunkCount: Int
    /// How many records were read.
    public var rowCount: Int
    /// Header names.
    public var columns: [String]

    /// Creates the payload.
    public init(job: JobContext, chunkCount: Int, rowCount: Int, columns: [String]) {
        self.job = job
        self.chunkCount = chunkCount
        self.rowCount = rowCount
        self.columns = columns
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

    /// Creates the payload.
    public init(job: JobContext, artifacts: [ArtifactRef], rowsTotal: Int, rowsValid: Int, rowsInvalid: Int) {
        self.job = job
        self.artifacts = artifacts
        self.rowsTotal = rowsTotal
        self.rowsValid = rowsValid
        self.rowsInvalid = rowsInvalid
    }
}

/// `job.failed`: a job stopped; `reason` says what a person can do about it.
public struct JobFailed: MessagePayload, Hashable {
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
