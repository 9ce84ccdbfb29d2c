/// `GET /jobs/held?job=…` on incident: the asked-for jobs that a failure of an unresolved
/// incident refers to. Chunk retention (metrics) keeps those jobs' intermediate chunks.
public struct HeldJobs: Codable, Sendable, Equatable {
    /// The held job ids, sorted.
    public var held: [String]
    /// The asked-for jobs any recorded failure refers to, resolved or not, sorted. A failed
    /// job missing here has a `job.failed` the incident service has not recorded yet, so
    /// retention waits for it. `nil` from an incident service that predates the field.
    public var recorded: [String]?

    /// Creates the answer.
    public init(held: [String], recorded: [String]? = nil) {
        self.held = held
        self.recorded = recorded
    }
}
