import Foundation
import ZIPFoundation

/// Inflates one sheet part on a background thread and hands the XML over in blocks.
///
/// ZIPFoundation only pushes an entry's bytes to a callback from start to end, but
/// `XLSXReader` is pulled a few thousand rows at a time. A dedicated thread runs the
/// extraction and blocks whenever `capacity` blocks (64 KiB each) are waiting, so
/// memory stays bounded however large the sheet and however slowly it is read.
/// Cancelling (the reader going away) wakes the thread, which then stops at the
/// next block.
final class XLSXSheetStream: @unchecked Sendable {
    /// What `take()` returns.
    enum Item: Sendable {
        /// The next block of the sheet's XML.
        case block(Data)
        /// The sheet is complete.
        case end
        /// Extraction failed.
        case failure(FormatError)
    }

    /// How many blocks may wait before the extracting thread pauses.
    static let capacity = 4

    // All mutable state below is guarded by `condition`.
    private let condition = NSCondition()
    private var blocks: [Data] = []
    private var ended = false
    private var failure: FormatError?
    private var cancelled = false

    /// Starts extracting `path` from the zip at `url`, allowing at most `budget` bytes.
    init(url: URL, path: String, limits: FormatLimits, budget: Int) {
        let thread = Thread { [self] in
            run(url: url, path: path, limits: limits, budget: budget)
        }
        thread.name = "sluice.xlsx-sheet"
        thread.start()
    }

    /// The next item, waiting for the extracting thread if necessary.
    func take() -> Item {
        condition.lock()
        defer { condition.unlock() }
        while blocks.isEmpty, !ended { condition.wait() }
        if !blocks.isEmpty {
            let block = blocks.removeFirst()
            condition.broadcast()
            return .block(block)
        }
        return failure.map(Item.failure) ?? .end
    }

    /// Stops the extraction; the thread exits at its next block.
    func cancel() {
        condition.lock()
        cancelled = true
        blocks.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// The extracting thread's body.
    private func run(url: URL, path: String, limits: FormatLimits, budget: Int) {
        var outcome: FormatError?
        do throws(FormatError) {
            let archive = try XLSXPackage.open(url)
            guard let entry = archive[path] else {
                throw FormatError(.xlsxInvalid, message: "The workbook has no part \(path); the "
                    + "file is damaged. Re-save it in Excel and upload it again.")
            }
            _ = try XLSXPackage.extract(entry, from: archive, limits: limits, budget: budget) {
                (data) throws(FormatError) in
                guard put(data) else {
                    throw FormatError(.xlsxInvalid, message: "cancelled")
                }
            }
        } catch {
            outcome = error
        }
        condition.lock()
        ended = true
        failure = outcome
        condition.broadcast()
        condition.unlock()
    }

    /// Queues a block, waiting while the queue is full; `false` once cancelled.
    private func put(_ data: Data) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while blocks.count >= Self.capacity, !cancelled { condition.wait() }
        guard !cancelled else { return false }
        blocks.append(data)
        condition.broadcast()
        return true
    }
}
