/// `job.submit`: a producer asks Sluice to process one batch.
public struct JobSubmit: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.jobSubmit

    /// The job id to use; when absent ingest derives one from the idempotency key.
    public var jobId: String?
    /// Submissions with the same key create one job (a retrying producer is safe).
    public var idempotencyKey: String?
    /// A human name for the job.
    public var name: String?
    /// Where the records come from.
    public var source: Source
    /// The source format: `csv`, `tsv`, `jsonl`, `json` (an array of objects), `xlsx`, `text`
    /// (one item per line), or `auto` / absent (detected from the name and the content).
    public var format: String?
    /// Records per chunk message (default 1000, at most 10,000).
    public var chunkSize: Int?
    /// Free-form labels.
    public var tags: [String: String]?
    /// The Table Schema to validate against.
    public var schema: TableSchema?
    /// A schema stored in validate, by name (`grades`) or name and version (`grades@2`).
    public var schemaName: String?
    /// The processing plan to apply (see `docs/plans.md`).
    public var plan: ProcessingPlan?
    /// A plan stored in transform, by name (`cleanup`) or name and version (`cleanup@3`).
    public var planName: String?
    /// Where to tell people about the outcome.
    public var notify: NotifySpec?
    /// Stages, outputs, policies and ingest options.
    public var options: JobOptions?
    /// The project the job belongs to (the gateway's tenancy boundary); absent: `default`.
    public var project: String?
    /// The gateway user who submitted it (set by the gateway; other producers leave it out).
    public var submittedBy: String?
    /// How soon the job's work is done at every stage (absent: normal). See ``Priority``.
    public var priority: Priority?
    /// The gateway batch the job belongs to (the gateway checks it; stages ignore it).
    public var batch: String?

    /// Creates a submission.
    public init(jobId: String? = nil, idempotencyKey: String? = nil, name: String? = nil,
                source: Source, format: String? = nil, chunkSize: Int? = nil,
                tags: [String: String]? = nil, schema: TableSchema? = nil, schemaName: String? = nil,
                plan: ProcessingPlan? = nil, planName: String? = nil, notify: NotifySpec? = nil,
                options: JobOptions? = nil, project: String? = nil, submittedBy: String? = nil,
                priority: Priority? = nil, batch: String? = nil) {
        self.priority = priority
        self.batch = batch
        self.jobId = jobId
        self.idempotencyKey = idempotencyKey
        self.name = name
        self.source = source
        self.format = format
        self.chunkSize = chunkSize
        self.tags = tags
        self.schema = schema
        self.schemaName = schemaName
        self.plan = plan
        self.planName = planName
        self.notify = notify
        self.options = options
        self.project = project
        self.submittedBy = submittedBy
    }

    /// Where a job's records come from.
    public struct Source: Codable, Sendable, Hashable {
        /// Where to read from; see ``Kind``.
        public var kind: Kind
        /// The records themselves, for `inline`.
        public var content: String?
        /// A path relative to (or inside) one of ingest's roots, for `path`.
        public var path: String?
        /// The id `POST /uploads` returned, for `upload`.
        public var uploadId: String?
        /// An `http` or `https` URL, for `url` (fetched with SSRF protections).
        public var url: String?
        /// An earlier job whose stored input (or results, for `publish-only`) is reused, for `job`.
        public var jobId: String?

        /// The kinds of source.
        public enum Kind: String, Codable, Sendable {
            /// Content in the message itself.
            case inline
            /// A file under ingest's configured roots.
            case path
            /// A file uploaded to ingest beforehand (`POST /uploads`).
            case upload
            /// A URL ingest fetches.
            case url
            /// The stored input of an earlier job (analysis-only and publish-only runs).
            case job
        }

        /// Inline content.
        public static func inline(_ content: String) -> Source { .init(kind: .inline, content: content) }
        /// A file under ingest's roots.
        public static func path(_ path: String) -> Source { .init(kind: .path, path: path) }
        /// An uploaded file.
        public static func upload(_ id: String) -> Source { .init(kind: .upload, uploadId: id) }
        /// A URL to fetch.
        public static func url(_ url: String) -> Source { .init(kind: .url, url: url) }
        /// An earlier job's stored input or results.
        public static func job(_ id: String) -> Source { .init(kind: .job, jobId: id) }

        /// Creates a source.
        public init(kind: Kind, content: String? = nil, path: String? = nil, uploadId: String? = nil,
                    url: String? = nil, jobId: String? = nil) {
            self.kind = kind
            self.content = content
            self.path = path
            self.uploadId = uploadId
            self.url = url
            self.jobId = jobId
        }
    }
}
