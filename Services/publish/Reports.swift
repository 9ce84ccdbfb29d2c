import Contracts
import Foundation
import Logging
import ObjectStorage
import PostgresNIO
import Reports
import Tabular
import Validation

/// Makes a job's report artifacts: `summary.json`/`summary.csv`, `validation.json`/
/// `validation.csv`, `report.pdf` and `results.json`, as the job's outputs ask.
struct Reports {
    let ready: ReadyJob
    let tally: Tally
    let errors: [RecordError]
    let statistics: TableSummary
    let aggregates: [AggregateTable]
    let meta: MetaSummary
    /// `published`, `dry-run` or `failed`.
    let status: String
    /// Where a large report waits for the store (the spool beside it), so it is not held in
    /// memory with the others until they are all stored.
    let spool: String
    var jobId: String { ready.job.jobId }

    /// The share of rows read that did not fail (filtered and deduplicated rows are the plan's
    /// choice, not failures), the same in every report.
    var successRate: Double {
        ready.rows == 0 ? 1 : Double(ready.rows - tally.invalid) / Double(ready.rows)
    }

    /// The report artifacts `outputs` asks for, ready to be stored with the dataset's.
    func artifacts(outputs: Set<JobOptions.Output>) throws -> [PendingArtifact] {
        var refs: [PendingArtifact] = []
        if outputs.contains(.summary) {
            let job = ready.job
            let summary = JobSummary(job: .init(id: job.jobId, name: job.name, tags: job.tags),
                                     rows: .init(total: ready.rows, valid: tally.valid, invalid: tally.invalid),
                                     columns: statistics.columns, aggregates: aggregates)
            refs.append(try save(try Self.json(summary), "summary.json", "application/json"))
            refs.append(try save(Array(statistics.csv.utf8), "summary.csv", "text/csv"))
        }
        if outputs.contains(.validation) {
            var counts: [String: Int] = [:]
            for error in errors { counts[error.code, default: 0] += 1 }
            let report = ValidationReport(jobId: jobId, schema: meta.schemaRef ?? ready.job.schemaName,
                                          rows: .init(total: ready.rows, valid: ready.rows - tally.invalid, invalid: tally.invalid),
                                          successRate: successRate,
                                          errorCounts: counts, errors: errors)
            refs.append(try save(try Self.json(report), "validation.json", "application/json"))
            refs.append(try save(report.csv(), "validation.csv", "text/csv"))
        }
        if outputs.contains(.report) {
            let pdf: [UInt8]
            do { pdf = try PDFReport(reportContent()).render() } catch {
                // Drawing is deterministic: the same job fails the same way on every retry.
                throw SluiceError.permanent("publish.pdf", "drawing the PDF report failed: \(error)")
            }
            refs.append(try save(pdf, "report.pdf", "application/pdf"))
        }
        return refs
    }

    /// The validation summary the PDF and the XLSX workbook show.
    var validationSummary: ValidationSummary {
        var summary = ValidationSummary(rowsTotal: ready.rows, rowsValid: ready.rows - tally.invalid,
                                        rowsInvalid: tally.invalid, errorLimit: 100)
        for error in errors {
            summary.record(ValidationIssue(line: error.line, field: error.field, code: error.code,
                                           message: error.message, value: error.value))
        }
        return summary
    }

    /// Adds the summary, validation and KPI sheets to the XLSX workbook (on its own thread:
    /// the closure holds copies of the tables, nothing of the job's connection).
    var sheets: @Sendable (XLSXStreamWriter) throws -> Void {
        let statistics = statistics, validation = validationSummary, aggregates = aggregates
        return { writer in
            try writer.addSummarySheet(statistics)
            try writer.addValidationSheet(validation)
            for table in aggregates { try writer.addAggregateSheet(table) }
        }
    }

    func reportContent() -> ReportContent {
        let job = ready.job
        let iso = ISO8601DateFormatter()
        let kpis = [
            KPI(label: "Rows read", value: ReportFormat.integer(ready.rows)),
            KPI(label: "Rows published", value: ReportFormat.integer(tally.valid)),
            KPI(label: "Invalid rows", value: ReportFormat.integer(tally.invalid)),
            KPI(label: "Success rate", value: ReportFormat.percent(successRate)),
        ] + (tally.filtered > 0 ? [KPI(label: "Filtered by plan", value: ReportFormat.integer(tally.filtered))] : [])
          + (tally.deduplicated > 0 ? [KPI(label: "Duplicates removed", value: ReportFormat.integer(tally.deduplicated))] : [])
        return ReportContent(
            title: job.name, subtitle: "Sluice job report" + (job.options?.dryRun == true ? " (dry run)" : ""),
            job: JobMetadata(id: job.jobId, name: job.name, tags: job.tags, status: status,
                             submittedAt: job.submittedAt.map(iso.string(from:)),
                             startedAt: ready.ingestedAt.map(iso.string(from:)),
                             finishedAt: iso.string(from: Date())),
            kpis: kpis, columns: statistics.columns, validation: validationSummary, aggregates: aggregates)
    }

    /// `results.json`, made last so it can list every artifact and time the publish stage.
    func results(artifacts: [String]) throws -> PendingArtifact {
        let job = ready.job
        let now = Date()
        let document = ResultsDocument(
            jobId: jobId, name: job.name, tags: job.tags, status: status, dryRun: job.options?.dryRun == true,
            source: ready.source, schema: meta.schemaRef ?? job.schemaName ?? (job.schema == nil ? nil : "inline"),
            plan: meta.planRef ?? job.planName ?? (job.plan == nil ? nil : "inline"), lookups: meta.lookups,
            totals: .init(total: ready.rows, succeeded: tally.valid, failed: tally.invalid, filtered: tally.filtered,
                          deduplicated: tally.deduplicated, appended: tally.appended),
            successRate: successRate,
            stages: [
                ResultsDocument.stage("ingest", from: job.submittedAt, to: ready.ingestedAt),
                ResultsDocument.stage("validate", from: meta.firstValidated.map { min($0, ready.ingestedAt ?? $0) },
                                      to: meta.lastValidated),
                ResultsDocument.stage("transform", from: meta.firstTransformed.map { min($0, meta.lastValidated ?? $0) },
                                      to: meta.lastTransformed),
                ResultsDocument.stage("publish", from: meta.lastTransformed ?? ready.ingestedAt, to: now),
                ResultsDocument.stage("total", from: job.submittedAt, to: now),
            ],
            warnings: job.warnings ?? [], notes: meta.notes, artifacts: artifacts.sorted(),
            calls: meta.calls.map { ResultsDocument.Calls($0, errors: errors) })
        return try save(try Self.json(document), "results.json", "application/json")
    }

    static func percent(_ share: Double) -> String {
        String(format: "%.1f%%", share * 100)
    }

    /// Pretty JSON and a final newline, copied once out of the encoder's `Data` (appending to
    /// the `Data` and converting it after kept three copies of a validation report alive).
    static func json(_ value: some Encodable) throws -> [UInt8] {
        var bytes = [UInt8](try JSONCoding.encoder(pretty: true).encode(value))
        bytes.append(0x0A)
        return bytes
    }

    private func save(_ bytes: [UInt8], _ name: String, _ type: String) throws -> PendingArtifact {
        try ArtifactWriter.pending(bytes, jobId: jobId, name: name, contentType: type, spool: spool)
    }
}
