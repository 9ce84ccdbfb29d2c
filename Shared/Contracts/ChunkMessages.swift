/// `chunk.ingested`: one chunk of parsed source records, in source order.
public struct ChunkIngested: MessagePayload, Hashable {
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

    /// Creates the payload.
    public init(job: JobContext, chunkIndex: Int, columns: [String], records: [Record],
                invalidCount: Int, errors: [RecordError]) {
        self.job = job
        self.chunkIndex = chunkIndex
        self.columns = columns
        self.records = records
        self.invalidCount = invalidCount
        self.errors = errors
    }
}

/// `chunk.transformed`: the transformed records of one chunk; validation results ride along
/// so publish can summarize without reading another service's state.
public struct ChunkTransformed: MessagePayload, Hashable {
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
    /// Validation problems, forwarded.
    public var errors: [RecordError]

    /// Creates the payload.
    public init(job: JobContext, chunkIndex: Int, columns: [String], records: [Record],
                invalidCount: Int, errors: [RecordError]) {
        self.job = job
        self.chunkIndex = chunkIndex
        self.columns = columns
        self.records = records
        self.invalidCount = invalidCount
        self.errors = errors
    }
}
