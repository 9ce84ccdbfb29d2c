import Foundation
import Logging

/// Deliberate faults for resilience drills and tests (`fault.crash.match`): a consumer that
/// receives a message whose body contains the given text, or reads a chunk that does, kills
/// its own process with SIGKILL, exactly like a crash or an out-of-memory kill would. Never
/// set in production.
public struct FaultInjection: Sendable, Hashable {
    /// Bytes whose presence in a body kills the process.
    public var crashMatch: [UInt8]?

    /// No faults.
    public init(crashMatch: String? = nil) {
        self.crashMatch = crashMatch.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
    }

    package func crashIfMatching(_ body: [UInt8], logger: Logger) {
        guard let needle = crashMatch, body.count >= needle.count else { return }
        let first = needle[0]
        for start in 0...(body.count - needle.count) where body[start] == first {
            if body[start..<(start + needle.count)].elementsEqual(needle) {
                logger.critical("fault injection: killing this process (fault.crash.match)")
                kill(getpid(), SIGKILL)
            }
        }
    }
}
