import Foundation

/// Thrown by a handler that stops part-way through long work (a call step's items) at an
/// item boundary, for the dispatcher to settle the delivery the way it settles work that
/// had not started: held for a paused job, dropped for a cancelled one, or held until
/// `notBefore` for work over a rate limit. Never a failure: no retry, no dead letter.
public enum WorkInterrupt: Error, Sendable, Hashable {
    /// The job or its project was paused, or the job cancelled, while the work ran.
    case controlled
    /// Items are over their rate limit until `until`; `reason` says which limit.
    case rateLimited(until: Date, reason: String)
}
