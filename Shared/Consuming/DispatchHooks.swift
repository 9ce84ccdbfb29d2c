import Foundation
import Logging
import Messaging
import Runtime

/// Hooks on the dispatch path, set only by a composition root (drills and tests); empty in
/// production. Keeping them here, rather than as globals, lets a test build a dispatcher
/// with exactly the faults it wants.
public struct DispatchHooks: Sendable {
    /// Runs before each delivery is handled.
    public var beforeHandle: (@Sendable (Delivery, Logger) -> Void)?

    /// No hooks.
    public init(beforeHandle: (@Sendable (Delivery, Logger) -> Void)? = nil) {
        self.beforeHandle = beforeHandle
    }

    /// The hooks `faults` asks for (`fault.crash.match`: kill the process on a matching body).
    public init(faults: FaultInjection) {
        guard faults.crashMatch != nil else { self.init(); return }
        self.init { delivery, logger in faults.crashIfMatching(delivery.body, logger: logger) }
    }
}
