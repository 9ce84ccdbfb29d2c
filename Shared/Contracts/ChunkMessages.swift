import Foundation

/// `chunk.ingested`: one chunk of parsed source records, in source order.
public struct ChunkIngested: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.chunkIngested
    /// The job this chunk belongs to.
    public var job: JobContext
    /// 0-based position of the chunk in the job; output order follows it.
    public var chunkIndex: Int
    /// Header names from the source.
    public var columns: [String]
    /// The records; every value is the source text (or null when missing).
    public var records: [Record]

    /// Creates the payload.
    public init(job: JobContext, chunkIndex: Int, columns: [String], records: [Record]) {
        self.job = job
        self.chunkIndex = chunkIndex
        self.columns = columns
        self.records = records
    }
}

/// `chunk.validated`: the valid records of one chunk plus an error per invalid record.
public struct ChunkValidated: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.chunkValidated
    /// The job this chunk belongs to.
    public var job: JobContext
    /// 0-based chunk position.
    public var chunkIndex: Int
    /// Column names.
    public var columns: [String]
    /// Records that passed validation.
    public var records: [Record]
    /// Records that failed (each counted once).
    public var invalidCount: Int
    /// Every problem found, per record and field.
    public var errors: [RecordError]
    /// The job-wide unique keys whose fingerprints each record carries in `keys`.
    public var uniqueKeys: [UniqueKey]?
    /// The stored schema used, as `name@version`, when the job named one.
    public var schemaRef: String?

    /// Creates the payload.
    public init(job: JobContext, chunkIndex: Int, columns: [String], records: [Record],
                invalidCount: Int, errors: [RecordError], uniqueKeys: [UniqueKey]? = nil, schemaRef: String? = nil) {
        self.job = job
        self.chunkIndex = chunkIndex
        self.columns = columns
        self.records = records
        self.invalidCount = invalidCount
        self.errors = errors
        self.uniqueKeys = uniqueKeys
        self.schemaRef = schemaRef
    }
}

/// `chunk.transformed`: the transformed records of one chunk; validation results ride along
/// so publish can summarize without reading another service's state.
public struct ChunkTransformed: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.chunkTransformed
    /// The job this chunk belongs to.
    public var job: JobContext
    /// 0-based chunk position.
    public var chunkIndex: Int
    /// Column names.
    public var columns: [String]
    /// Transformed records.
    public var records: [Record]
    /// Records dropped by validation.
    public var invalidCount: Int
    /// Validation problems, forwarded, plus transform's own (cast and expression errors).
    public var errors: [RecordError]
    /// Forwarded from `chunk.validated`.
    public var uniqueKeys: [UniqueKey]?
    /// Records a plan's `append` step adds once per job (carried by chunk 0 only); publish
    /// writes them after every source record.
    public var appended: [Record]?
    /// Records removed by the plan's filter rules.
    public var filteredCount: Int?
    /// The plan's custom-rule notes (chunk 0 only).
    public var notes: [String]?
    /// The stored schema used, forwarded from `chunk.validated`.
    public var schemaRef: String?
    /// The stored plan used, as `name@version`, when the job named one.
    public var planRef: String?
    /// When validate finished this chunk (the `chunk.validated` envelope's time).
    public var validatedAt: Date?

    /// Creates the payload.
    public init(job: JobContext, chunkIndex: Int, columns: [String], records: [Record],
                invalidCount: Int, errors: [RecordError], uniqueKeys: [UniqueKey]? = nil,
                appended: [Record]? = nil, filteredCount: Int? = nil, notes: [String]? = nil,
                schemaRef: String? = nil, planRef: String? = nil, validatedAt: Date? = nil) {
        self.job = job
        self.chunkIndex = chunkIndex
        self.columns = columns
        self.records = records
        self.invalidCount = invalidCount
        self.errors = errors
        self.uniqueKeys = uniqueKeys
        self.appended = appended
        self.filteredCount = filteredCount
        self.notes = notes
        self.schemaRef = schemaRef
        self.planRef = planRef
        self.validatedAt = validatedAt
    }
}
