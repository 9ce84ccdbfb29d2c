import Contracts
import Dispatch
import Reports
import Tabular

/// The XLSX output on a thread of its own: rows are collected and handed over in batches of
/// `batchRows`, so deflating the workbook (the dearest output by far) runs beside the rest of
/// the pass instead of inside it. At most one batch is in flight; the next hand-over waits for
/// it, so memory stays bounded by two batches' rows (a whole chunk per batch took publish
/// over 150 MiB on the benchmark's "everything" job).
///
/// One owner at a time, like the ``Pass`` that holds it; the writer itself is only ever used
/// on `queue`, in order.
final class SheetLane: @unchecked Sendable {
    /// The workbook being written; touched only on `queue`.
    private let writer: XLSXStreamWriter
    private let queue = DispatchQueue(label: "sluice.publish.xlsx")
    private var rows: [[CellValue]] = []
    /// Rows per batch.
    static let batchRows = 4096
    private var inFlight: Task<Void, any Error>?
    /// The spool file the workbook is written to.
    let path: String

    /// Starts the workbook at `path` with a "Data" sheet of `columns`.
    init(path: String, columns: [String], deflateLevel: Int32) throws {
        self.path = path
        do {
            writer = try XLSXStreamWriter(path: path, options: XLSXWriterOptions(deflateLevel: deflateLevel))
            try writer.startSheet(named: "Data", header: columns)
        } catch {
            throw SluiceError.transient("publish.xlsx", "cannot start the XLSX output: \(error)")
        }
    }

    /// Collects one row for the next batch.
    func append(_ values: [CellValue]) {
        rows.append(values)
    }

    /// Whether a batch is ready to hand over.
    var isFull: Bool { rows.count >= Self.batchRows }

    /// Hands the collected rows to the XLSX thread once the batch before them is written.
    func flush() async throws {
        try await settle()
        guard !rows.isEmpty else { return }
        let batch = rows
        rows = []
        rows.reserveCapacity(batch.count)
        inFlight = run { writer in for row in batch { try writer.appendRow(row) } }
    }

    /// Writes what is left, then `sheets` (the report sheets), and closes the workbook.
    func finish(sheets: @escaping @Sendable (XLSXStreamWriter) throws -> Void) async throws {
        try await flush()
        try await settle()
        inFlight = run { writer in
            try sheets(writer)
            try writer.close()
        }
        try await settle()
    }

    /// Gives the workbook up (after any batch in flight): its spool file is removed.
    func discard() {
        rows = []
        let writer = UncheckedWriter(writer: writer)
        queue.async { writer.writer.discard() }
    }

    /// Waits for the batch in flight; its failure is this call's.
    private func settle() async throws {
        guard let task = inFlight else { return }
        inFlight = nil
        do {
            try await task.value
        } catch {
            throw SluiceError.transient("publish.xlsx", "writing the XLSX output failed: \(error)")
        }
    }

    /// Runs `work` on the XLSX thread.
    private func run(_ work: @escaping @Sendable (XLSXStreamWriter) throws -> Void) -> Task<Void, any Error> {
        let queue = queue
        let writer = UncheckedWriter(writer: writer)
        return Task {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                queue.async {
                    continuation.resume(with: Result { try work(writer.writer) })
                }
            }
        }
    }
}

/// The writer handed to its queue; safe because only that serial queue uses it.
private struct UncheckedWriter: @unchecked Sendable {
    let writer: XLSXStreamWriter
}
