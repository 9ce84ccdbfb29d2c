import Contracts
import Foundation
import Reports
import Runtime
import Tabular
import Validation

/// One ordered pass over a job's chunks: job-wide keys and dedupe, statistics, KPI groups
/// and the dataset outputs, fed record by record so memory stays bounded by one chunk.
struct Pass {
    let ready: ReadyJob
    let outputs: Set<JobOptions.Output>
    let context: HandlerContext
    private var dataset: DatasetOutputs?
    private(set) var tally = Tally()
    private var columns: [String]
    private var stats: TableStatistics?
    private var aggregator: GroupAggregator?
    /// Values of the job tags that aggregates group by (`groupBy: ["tag:course"]`), appended to
    /// every row the aggregator sees, so KPIs can be labelled by the job's category or course.
    private var tagValues: [CellValue] = []
    private var keys = JobWideKeys()
    private var errors: [RecordError] = []
    private var appended: [Record] = []
    private var meta = MetaSummary()

    init(ready: ReadyJob, outputs: Set<JobOptions.Output>, context: HandlerContext) {
        self.ready = ready
        self.outputs = outputs
        self.context = context
        columns = ready.columns
        keys.expectedRows = ready.rows
    }

    mutating func add(_ chunk: StoredChunk) async throws {
        try await open(chunk.columns ?? columns)
        meta.add(chunk.meta)
        appended += chunk.meta.appended ?? []
        tally.invalid += chunk.invalidCount
        tally.filtered += chunk.meta.filteredCount ?? 0
        errors += chunk.errors
        for record in chunk.records {
            let problems = keys.check(record, keys: chunk.meta.uniqueKeys ?? [])
            if !problems.isEmpty {
                errors += problems
                tally.invalid += 1
                continue
            }
            if keys.isDuplicate(record) { continue }
            try await emit(record)
        }
    }

    /// Writes the plan's appended records after every source record.
    mutating func finishRecords() async throws {
        try await open(columns)
        // Records appended before the plan's dedupe step carry its fingerprint and take part
        // in it; those appended after it carry one that never matches.
        for record in appended where !keys.isDuplicate(record) {
            try await emit(record)
            tally.appended += 1
        }
        tally.deduplicated = keys.duplicatesDropped
        errors.sort { $0.line < $1.line }
    }

    /// Finishes the dataset outputs (the XLSX workbook gets the report sheets first).
    mutating func finishDataset(with reports: Reports) async throws -> [ArtifactRef] {
        try await dataset?.finish(sheets: reports.addSheets) ?? []
    }

    func reports(status: String) -> Reports {
        Reports(ready: ready, tally: tally, errors: errors, statistics: stats?.summary ?? TableSummary(rows: 0, columns: []),
                aggregates: aggregator?.tables ?? [], meta: meta, status: status,
                connection: context.connection, logger: context.logger)
    }

    private mutating func open(_ names: [String]) async throws {
        guard stats == nil else { return }
        columns = names
        stats = TableStatistics(columnNames: names)
        let specs = ready.job.effectiveOptions.aggregates ?? []
        let tagColumns = Array(Set(specs.flatMap(\.groupBy).filter { $0.hasPrefix("tag:") })).sorted()
        tagValues = tagColumns.map { name in ready.job.tags[String(name.dropFirst(4))].map(CellValue.string) ?? .null }
        do {
            aggregator = try GroupAggregator(specs: specs, columns: names + tagColumns)
        } catch {
            throw SluiceError.permanent("publish.invalid-aggregate",
                                        "the job's aggregates are invalid: \(error.message); the columns are \(names.joined(separator: ", "))")
        }
        dataset = try await DatasetOutputs(jobId: ready.job.jobId, columns: names, outputs: outputs,
                                           connection: context.connection, logger: context.logger)
    }

    static func padded(_ values: [CellValue], to count: Int) -> [CellValue] {
        values.count >= count ? Array(values.prefix(count)) : values + Array(repeating: .null, count: count - values.count)
    }

    private mutating func emit(_ record: Record) async throws {
        stats?.add(row: record.values)
        aggregator?.add(row: tagValues.isEmpty ? record.values : Self.padded(record.values, to: columns.count) + tagValues)
        try await dataset?.write(record)
        tally.valid += 1
    }
}
