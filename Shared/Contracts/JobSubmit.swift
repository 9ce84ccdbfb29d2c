/// `job.submit`: a producer asks Sluice to process one batch.
public struct JobSubmit: MessagePayload, Hashable {
    public static let messageType = MessageType.jobSubmit

    /// The job id to use; when absent ingest derives one from the idempotency key.
    public var jobId: String?
    /// Submissions with the same key create one job (a retrying producer is safe).
    public var idempotencyKey: String?
    /// A human name for the job.
    public var name: String?
    /// Where the records come from.
    public var source: Source
    /// The source format; `csv` is the only one today.
    public var format: String?
    /// Records per chunk message (default 1000, at most 10,000).
    public var chunkSize: Int?
    /// Free-form labels.
    public var tags: [String: String]?
    /// The Table Schema to validate against.
    public var schema: TableSchema?
    /// Where to tell people about the outcome.
    public var notify: NotifySpec?

    /// Creates a submission.
    public init(jobId: String? = nil, idempotencyKey: String? = nil, name: String? = nil,
                source: Source, format: String? = "csv", chunkSize: Int? = nil,
                tags: [String: String]? = nil, schema: TableSchema? = nil, notify: NotifySpec? = nil) {
        self.jobId = jobId
        self.idempotencyKey = idempotencyKey
        self.name = name
        self.source = source
        self.format = format
        self.chunkSize = chunkSize
        self.tags = tags
        self.schema = schema
        self.notify = notify
    }

    /// Where a job's records come from.
    public struct Source: Codable, Sendable, Hashable {
        /// `inline` (content in the message) or `path` (a file under ingest's configured roots).
        public var kind: Kind
        /// The records themselves, for `inline`.
        public var content: String?
        /// A path relative to (or inside) one of ingest's roots, for `path`.
        public var path: String?

        /// The kinds of source.
        public enum Kind: String, Codable, Sendable { case inline, path }

        /// Inline content.
        public static func inline(_ content: String) -> Source { .init(kind: .inline, content: content) }
        /// A file under ingest's roots.
        public static func path(_ path: String) -> Source { .init(kind: .path, path: path) }

        /// Creates a source.
        public init(kind: Kind, content: String? = nil, path: String? = nil) {
            self.kind = kind
            self.content = content
            self.path = path
        }
    }
}
