import Foundation
import Runtime
import ServiceLifecycle

/// Forgets call items' stored outcomes after `call.items.retention.days` (default 7), once an
/// hour: by then their jobs are long finished. A chunk handled again later (a re-drive weeks
/// on) calls its items again, with the same idempotency keys.
struct CallItemRetention: Sendable {
    let runtime: RuntimeContext
    let days: Int

    func loop() -> LoopService {
        LoopService { [runtime, days] in
            try await runtime.waitUntilReady()
            try? await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    do {
                        try await runtime.database.query("""
                            DELETE FROM call_items WHERE done_at < now() - make_interval(days => \(days)::integer)
                            """, logger: runtime.logger)
                        // Reference-table pins too: a job re-driven later joins the latest version.
                        try await ReferenceStore(runtime: runtime).purgePins(olderThanDays: max(days, 30))
                    } catch is CancellationError {
                        return
                    } catch {
                        runtime.logger.warning("call item retention skipped a round", metadata: ["error": "\(error)"])
                    }
                    try await Task.sleep(for: .seconds(3600))
                }
            }
        }
    }
}
