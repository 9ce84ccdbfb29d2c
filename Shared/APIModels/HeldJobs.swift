/// `GET /jobs/held?job=…` on incident: the asked-for jobs that a failure of an unresolved
/// incident refers to. Chunk retention (metrics) keeps those jobs' intermediate chunks.
public struct HeldJobs: Codable, Sendable, Equatable {
    /// The held job ids, sorted.
    public var held: [String]

    /// Creates the answer.
    public init(held: [String]) {
        self.held = held
    }
}
