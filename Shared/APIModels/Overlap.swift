/// What a schedule's fire does while an earlier run of the same schedule is still running
/// (docs/schedules.md#overlap). A run is running from its submission until Sluice sees its
/// end: published, failed, skipped, stored (ingest-only), cancelled or stalled.
public enum Overlap: String, Codable, Sendable, CaseIterable {
    /// The fire is recorded as `skipped` and submits nothing (the default).
    case skip
    /// The fire waits (`buffered`) and runs as soon as the running one ends; at most one
    /// waits, a further fire meanwhile is skipped.
    case bufferOne
    /// The fire runs beside the running ones.
    case allowAll
    /// The running ones are cancelled (`job.control`) and the fire runs.
    case cancelRunning
}

/// How a backfill's runs share time with each other.
public enum BackfillOverlap: String, Codable, Sendable, CaseIterable {
    /// Every run is submitted at once (the default).
    case allowAll
    /// One run at a time, oldest first: each is submitted when the one before it ends.
    case bufferAll
}
