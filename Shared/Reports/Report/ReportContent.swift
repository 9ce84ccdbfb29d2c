import Contracts
import Tabular
/// Everything a job report shows, as plain values.
///
/// The publish stage fills it from what it already has — the job's metadata, the column
/// statistics (`TableSummary.columns`), the validation outcome and the grouped KPIs — and
/// hands it to `PDFReport`. It is `Codable`, so a report can also be re-rendered later from
/// stored JSON. Nothing here is formatted for a particular output except `KPI.value`, which
/// the caller formats (see `ReportFormat`) because only the caller knows its unit.
public struct ReportContent: Codable, Sendable, Equatable {
    /// The report's title, e.g. "Grades import — spring term".
    public var title: String
    /// An optional line under the title.
    public var subtitle: String?
    /// Who and when: the job's identity, tags and times.
    public var job: JobMetadata
    /// Headline figures shown as tiles at the top.
    public var kpis: [KPI]
    /// One summary per output column.
    public var columns: [ColumnSummary]
    /// The validate stage's outcome, if the job validated.
    public var validation: ValidationSummary?
    /// Grouped KPI tables.
    public var aggregates: [AggregateTable]

    /// Content from its parts; everything but the title and job is optional.
    public init(
        title: String, subtitle: String? = nil, job: JobMetadata, kpis: [KPI] = [],
        columns: [ColumnSummary] = [], validation: ValidationSummary? = nil,
        aggregates: [AggregateTable] = []
    ) {
        self.title = title
        self.subtitle = subtitle
        self.job = job
        self.kpis = kpis
        self.columns = columns
        self.validation = validation
        self.aggregates = aggregates
    }
}

/// The job a report is about.
public struct JobMetadata: Codable, Sendable, Equatable {
    /// The job's id.
    public var id: String
    /// The job's name.
    public var name: String
    /// Free-form tags; shown sorted by key.
    public var tags: [String: String]
    /// The job's final status, e.g. "succeeded".
    public var status: String?
    /// When the job was submitted, already formatted (e.g. ISO 8601).
    public var submittedAt: String?
    /// When processing started, already formatted.
    public var startedAt: String?
    /// When processing finished, already formatted.
    public var finishedAt: String?

    /// Metadata from its parts.
    public init(
        id: String, name: String, tags: [String: String] = [:], status: String? = nil,
        submittedAt: String? = nil, startedAt: String? = nil, finishedAt: String? = nil
    ) {
        self.id = id
        self.name = name
        self.tags = tags
        self.status = status
        self.submittedAt = submittedAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    /// Label and value pairs in display order, leaving out absent values.
    public var fields: [(label: String, value: String)] {
        var result: [(label: String, value: String)] = [("Job ID", id), ("Name", name)]
        if let status { result.append(("Status", status)) }
        if let submittedAt { result.append(("Submitted", submittedAt)) }
        if let startedAt { result.append(("Started", startedAt)) }
        if let finishedAt { result.append(("Finished", finishedAt)) }
        if !tags.isEmpty {
            let text = tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            result.append(("Tags", text))
        }
        return result
    }
}

/// One headline figure, shown as a tile.
public struct KPI: Codable, Sendable, Equatable {
    /// What the figure is, e.g. "Average grade".
    public var label: String
    /// The figure as it should be shown, e.g. "81.5" or "97.2%".
    public var value: String
    /// An optional small line under the label, e.g. "over 1,204 students".
    public var detail: String?

    /// A KPI from its parts.
    public init(label: String, value: String, detail: String? = nil) {
        self.label = label
        self.value = value
        self.detail = detail
    }
}
