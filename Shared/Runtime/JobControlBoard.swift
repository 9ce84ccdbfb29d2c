import Contracts
import Foundation
import Logging
import Storage
import Toolkit

/// What a replica knows of operators' job controls: which jobs and projects are paused or
/// cancelled. Read before each piece of stage work (no database round trip), and kept current
/// by ``refresh(from:logger:)`` every few hundred milliseconds, so a control handled by one
/// replica reaches the others of its service within that time.
public final class JobControlBoard: Sendable {
    /// What to do with a piece of work.
    public enum Verdict: Sendable, Hashable {
        /// Handle it.
        case run
        /// Keep it aside until the job (or project) is resumed.
        case hold
        /// Its job was cancelled: acknowledge it and do nothing.
        case drop
    }

    private struct State: Sendable {
        var jobs: [String: String] = [:]
        var projects: [String: String] = [:]
        var since: Date?
    }

    private let state = LockedValue(State())

    /// An empty board (everything runs).
    public init() {}

    /// The verdict for work of `jobId` in `project`: a cancelled job drops, a paused job or
    /// project holds.
    public func verdict(jobId: String?, project: String?) -> Verdict {
        state.update { state in
            let job = jobId.flatMap { state.jobs[$0] }
            if job == "cancelled" { return .drop }
            if job == "paused" { return .hold }
            if let project, state.projects[project] == "paused" { return .hold }
            return .run
        }
    }

    /// Applies stored controls (from the database or a control just handled).
    public func apply(_ rows: [JobControls.Row]) {
        state.update { state in
            for row in rows {
                switch (row.scope, row.state) {
                case ("job", "running"): state.jobs[row.target] = nil
                case ("job", _): state.jobs[row.target] = row.state
                case (_, "running"): state.projects[row.target] = nil
                default: state.projects[row.target] = row.state
                }
            }
        }
    }

    /// Reads the controls changed since the last refresh (with a minute's margin for
    /// transactions that commit after the time they stamped; applying a row twice changes
    /// nothing).
    public func refresh(from database: Database, logger: Logger) async throws {
        let since = state.get().since
        let rows = try await JobControls.changes(since: since.map { $0.addingTimeInterval(-60) }, database: database,
                                                 logger: logger)
        apply(rows)
        if let last = rows.last?.changedAt { state.update { $0.since = max($0.since ?? last, last) } }
        else if since == nil { state.update { $0.since = Date(timeIntervalSince1970: 0) } }
    }
}
