import Aggregation
import Chunks
import Contracts
import Foundation
import Logging
import ObjectStorage
import PostgresNIO
import Reports
import Runtime
import Tabular
import Validation

/// One ordered pass over a job's chunks: job-wide keys and dedupe, statistics, KPI groups
/// and the dataset outputs (spooled beside the object store), fed record by record so
/// memory stays bounded by one chunk. It needs no database until the job is published, so
/// it can run ahead while chunks arrive (``AssemblyBoard``).
///
/// `@unchecked Sendable`: a pass has one owner at a time (the board, then the handler that
/// publishes the job), handed over by ``AssemblyBoard/claim(_:)`` once the board is done with it.
struct Pass: @unchecked Sendable {
    let job: JobContext
    let outputs: Set<JobOptions.Output>
    let spool: String
    /// The XLSX output's deflate level.
    let xlsxLevel: Int32
    /// Chunks added so far: the next one to add is this index.
    private(set) var nextChunk = 0
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
    /// The calculated metrics that select the job, and their partials (docs/metrics.md).
    let definitions: [MetricDefinition]
    private var partials: PartialCollector?

    init(job: JobContext, columns: [String], expectedRows: Int, spool: String, xlsxLevel: Int32 = 1,
         definitions: [MetricDefinition] = []) {
        self.definitions = definitions
        self.job = job
        self.xlsxLevel = xlsxLevel
        let options = job.effectiveOptions
        outputs = options.dryRun == true ? [] : options.effectiveOutputs
        self.spool = spool
        self.columns = columns
        keys.expectedRows = expectedRows
    }

    /// Adds the next chunk (chunk `nextChunk`); its rows go to the XLSX thread in batches.
    mutating func add(_ chunk: StoredChunk) async throws {
        try open(chunk.columns ?? columns)
        meta.add(chunk.meta)
        appended += chunk.meta.appended ?? []
        tally.invalid += chunk.invalidCount
        tally.filtered += chunk.meta.filteredCount ?? 0
        errors += chunk.errors
        // Keys are checked on the input as validated, every row in source order, valid or not
        // (frictionless' rule: the first row holding a value keeps it); a duplicate that made
        // it through the plan is left out and counted invalid.
        var duplicates = Set<Int>()
        var kept: [Record] = []
        kept.reserveCapacity(chunk.records.count)
        for row in chunk.keyRows ?? [] {
            let problems = keys.check(row, keys: chunk.meta.uniqueKeys ?? [])
            if !problems.isEmpty {
                errors += problems
                duplicates.insert(row.line)
            }
        }
        for record in chunk.records {
            if chunk.keyRows == nil {  // a chunk from before key rows: its records carry their keys
                let problems = keys.check(record, keys: chunk.meta.uniqueKeys ?? [])
                if !problems.isEmpty {
                    errors += problems
                    tally.invalid += 1
                    continue
                }
            } else if duplicates.contains(record.line) {
                tally.invalid += 1
                continue
            }
            if try keys.isDuplicate(record) { continue }
            kept.append(record)
        }
        stats?.add(records: kept)
        for record in kept {
            try emit(record, counted: true)
            if dataset?.wantsFlush == true { try await dataset?.flush() }
        }
        try await dataset?.flush()
        nextChunk += 1
    }

    /// Writes the plan's appended records after every source record.
    mutating func finishRecords() throws {
        try open(columns)
        // Records appended before the plan's dedupe step carry its fingerprint and take part
        // in it; those appended after it carry one that never matches.
        for record in appended where try !keys.isDuplicate(record) {
            try emit(record)
            tally.appended += 1
        }
        tally.deduplicated = keys.duplicatesDropped
        // Every record is out: the job-wide key sets (tens of MiB at a million rows) go now,
        // before the reports and the workbook's report sheets need memory of their own.
        keys = JobWideKeys()
        errors.sort { $0.line < $1.line }
    }

    /// Finishes the dataset outputs (the XLSX workbook gets the report sheets first), ready
    /// to be stored with the job's other artifacts.
    mutating func finishDataset(with reports: Reports) async throws -> [PendingArtifact] {
        guard var dataset else { return [] }
        self.dataset = nil
        do {
            return try await dataset.finish(sheets: reports.sheets)
        } catch {
            dataset.discard()  // the spool files not yet handed on
            throw error
        }
    }

    /// Gives up: spooled outputs are removed.
    func discard() { dataset?.discard() }

    func reports(ready: ReadyJob, status: String) -> Reports {
        Reports(ready: ready, tally: tally, errors: errors, statistics: stats?.summary ?? TableSummary(rows: 0, columns: []),
                aggregates: aggregator?.tables ?? [], meta: meta, status: status, spool: spool)
    }

    private mutating func open(_ names: [String]) throws {
        guard stats == nil else { return }
        columns = names
        stats = TableStatistics(columnNames: names)
        let specs = job.effectiveOptions.aggregates ?? []
        let tagColumns = Array(Set(specs.flatMap(\.groupBy).filter { $0.hasPrefix("tag:") })).sorted()
        tagValues = tagColumns.map { name in job.tags[String(name.dropFirst(4))].map(CellValue.string) ?? .null }
        do {
            aggregator = try GroupAggregator(specs: specs, columns: names + tagColumns)
        } catch {
            throw SluiceError.permanent("publish.invalid-aggregate",
                                        "the job's aggregates are invalid: \(error.message); the columns are \(names.joined(separator: ", "))")
        }
        dataset = try DatasetOutputs(jobId: job.jobId, columns: names, outputs: outputs, spool: spool, xlsxLevel: xlsxLevel)
        if !definitions.isEmpty { partials = PartialCollector(definitions: definitions, columns: names, tags: job.tags) }
    }

    /// The partials of the calculated metrics that select the job (empty: none does).
    var metricPartials: [MetricPartials] { partials?.partials ?? [] }

    static func padded(_ values: [CellValue], to count: Int) -> [CellValue] {
        values.count >= count ? Array(values.prefix(count)) : values + Array(repeating: .null, count: count - values.count)
    }

    /// Writes `record` to every output; `counted` when its statistics were added already.
    private mutating func emit(_ record: Record, counted: Bool = false) throws {
        if !counted { stats?.add(row: record.values) }
        aggregator?.add(row: tagValues.isEmpty ? record.values : Self.padded(record.values, to: columns.count) + tagValues)
        partials?.add(row: record.values)
        try dataset?.write(record)
        tally.valid += 1
    }
}
