import Contracts
import Foundation
import Logging
import Runtime
import ServiceLifecycle
import Storage

/// Applies operators' `job.control` messages in a stage worker (docs/job-control.md): the
/// control is stored in the service's own schema, a resume sends the held messages back to
/// their lanes through the outbox, and a cancel drops what was held. Every stage worker gets
/// this from the runtime; no service writes it.
public enum JobControlHandler {
    /// The control queue's one handler.
    public static var handlers: MessageHandlers {
        var handlers = MessageHandlers()
        handlers.on(JobControl.self) { envelope, context in try await apply(envelope.payload, context) }
        return handlers
    }

    static func apply(_ control: JobControl, _ context: HandlerContext) async throws {
        // A project is cancelled job by job (the gateway sends one control per active job).
        if control.scope == .project, control.action == .cancel { return }
        // A batch is the gateway's: it sends a `job` control for each of its jobs.
        if control.scope == .batch { return }
        let state = switch control.action {
        case .pause: "paused"
        case .resume: "running"
        case .cancel: "cancelled"
        }
        guard try await JobControls.set(scope: control.scope.rawValue, target: control.target, state: state,
                                        sequence: control.sequence, on: context.connection, logger: context.logger) else {
            context.logger.info("job control older than the one in force, or for a cancelled job: ignored",
                                metadata: ["target": "\(control.target)", "action": "\(control.action.rawValue)"])
            return
        }
        switch control.action {
        case .pause:
            break
        case .resume:
            let released = try await JobControls.release(scope: control.scope.rawValue, target: control.target,
                                                         on: context.connection, logger: context.logger)
            for message in released { try context.emitter.send(message) }
            context.logger.info("resumed: held messages sent back", metadata: ["released": "\(released.count)"])
        case .cancel:
            let dropped = try await JobControls.discard(jobId: control.target, on: context.connection, logger: context.logger)
            context.logger.info("cancelled: held messages dropped", metadata: ["dropped": "\(dropped)"])
        }
        // Every replica, this one included, reads it from the database within 250 ms of the
        // commit: a rolled-back or refused change never reaches a board.
    }

    /// Keeps the replica's board current (every 250 ms, the controls changed since) and sends
    /// work held for a rate limit back to its lane once its time has come.
    public static func refresher(_ runtime: RuntimeContext) -> any Service {
        LoopService {
            try await runtime.waitUntilReady()
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    try await runtime.controls.refresh(from: runtime.database, logger: runtime.logger)
                    try await releaseRateLimited(runtime)
                } catch {
                    runtime.logger.warning("cannot read job controls; retrying", metadata: ["error": "\(error)"])
                }
                await sleepUnlessShuttingDown(for: .milliseconds(250))
            }
        }
    }

    /// Work whose rate limit allows it again goes back to its queue, through the outbox; it
    /// keeps its headers, so the wait was not an attempt.
    static func releaseRateLimited(_ runtime: RuntimeContext) async throws {
        while true {
            let released = try await runtime.transaction { connection, emitter in
                let due = try await JobControls.releaseDue(limit: 200, on: connection, logger: runtime.logger)
                for message in due { try emitter.send(message) }
                return due.count
            }
            if released < 200 { return }
        }
    }
}
