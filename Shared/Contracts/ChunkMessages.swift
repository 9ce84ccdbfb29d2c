import Foundation

/// `chunk.ingested`: one chunk of parsed source records, in source order. The records are
/// in the chunk store (`data`); the message is their claim check.
public struct ChunkIngested: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.chunkIngested
    /// The job this chunk belongs to.
    public var job: JobContext
    /// 0-based position of the chunk in the job; output order follows it.
    public var chunkIndex: Int
    /// Header names from the source.
    public var columns: [String]
    /// The records (every value the source text, or null when missing), as an Arrow chunk.
    public var data: ChunkRef

    /// Creates the payload.
    public init(job: JobContext, chunkIndex: Int, columns: [String], data: ChunkRef) {
        self.job = job
        self.chunkIndex = chunkIndex
        self.columns = columns
        self.data = data
    }
}

/// `chunk.validated`: the valid records of one chunk (`data`) and the problems of the
/// invalid ones (`errors`), both in the chunk store.
public struct ChunkValidated: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.chunkValidated
    /// The job this chunk belongs to.
    public var job: JobContext
    /// 0-based chunk position.
    public var chunkIndex: Int
    /// Column names.
    public var columns: [String]
    /// Records that passed validation, as an Arrow chunk (`data.rows` of them).
    public var data: ChunkRef
    /// Records that failed (each counted once).
    public var invalidCount: Int
    /// Every problem found, per record and field (absent when there is none).
    public var errors: ChunkRef?
    /// The job-wide unique keys, in the order of the fingerprints in `keys`.
    public var uniqueKeys: [UniqueKey]?
    /// Every row's key fingerprints, valid or not, in source order (a chunk of `_line` and
    /// `_key.N` columns): keys are a property of the input as validated, checked by publish
    /// across the job before anything the plan does (the first row holding a value keeps it).
    public var keys: ChunkRef?
    /// The stored schema used, as `name@version`, when the job named one.
    public var schemaRef: String?

    /// Creates the payload.
    public init(job: JobContext, chunkIndex: Int, columns: [String], data: ChunkRef,
                invalidCount: Int, errors: ChunkRef?, uniqueKeys: [UniqueKey]? = nil, keys: ChunkRef? = nil,
                schemaRef: String? = nil) {
        self.job = job
        self.chunkIndex = chunkIndex
        self.columns = columns
        self.data = data
        self.invalidCount = invalidCount
        self.errors = errors
        self.uniqueKeys = uniqueKeys
        self.keys = keys
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
    /// Transformed records, as an Arrow chunk.
    public var data: ChunkRef
    /// Records dropped by validation.
    public var invalidCount: Int
    /// Validation problems (forwarded) and transform's own (cast and expression errors), as
    /// record-error objects in that order.
    public var errors: [ChunkRef]
    /// Forwarded from `chunk.validated`.
    public var uniqueKeys: [UniqueKey]?
    /// Forwarded from `chunk.validated`: every input row's key fingerprints.
    public var keys: ChunkRef?
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
    /// What the plan's `call` steps did with this chunk's records, when it has any.
    public var calls: CallTally?
    /// The reference tables the plan's `lookup` steps joined, as `name@version` (chunk 0 only).
    public var lookups: [String]?

    /// Creates the payload.
    public init(job: JobContext, chunkIndex: Int, columns: [String], data: ChunkRef,
                invalidCount: Int, errors: [ChunkRef], uniqueKeys: [UniqueKey]? = nil, keys: ChunkRef? = nil,
                appended: [Record]? = nil, filteredCount: Int? = nil, notes: [String]? = nil,
                schemaRef: String? = nil, planRef: String? = nil, validatedAt: Date? = nil, calls: CallTally? = nil,
                lookups: [String]? = nil) {
        self.calls = calls
        self.lookups = lookups
        self.job = job
        self.chunkIndex = chunkIndex
        self.columns = columns
        self.data = data
        self.invalidCount = invalidCount
        self.errors = errors
        self.uniqueKeys = uniqueKeys
        self.keys = keys
        self.appended = appended
        self.filteredCount = filteredCount
        self.notes = notes
        self.schemaRef = schemaRef
        self.planRef = planRef
        self.validatedAt = validatedAt
    }
}
