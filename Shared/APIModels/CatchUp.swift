/// What a schedule does about fire times it missed (the scheduler was down, or busy):
/// within `windowSeconds` of their time the policy decides; older ones are recorded as
/// missed. A fire at most a minute late is on time and always fires.
public struct CatchUp: Codable, Sendable, Hashable {
    /// What happens to late fires within the window.
    public enum Policy: String, Codable, Sendable, CaseIterable {
        /// Every late fire runs, oldest first.
        case all
        /// Only the latest runs; the others are recorded as coalesced into it.
        case latest
        /// None runs; each is recorded as missed.
        case skip
    }

    /// What happens to late fires within the window (default `latest`).
    public var policy: Policy
    /// How late a fire may be and still be caught up, in seconds; nil takes the scheduler's
    /// `scheduler.misfire.grace.s` (3,600 by default).
    public var windowSeconds: Int?

    /// A catch-up rule.
    public init(policy: Policy, windowSeconds: Int? = nil) {
        self.policy = policy
        self.windowSeconds = windowSeconds
    }
}
