import Foundation
import Logging
import ObjectStorage
import Runtime
import ServiceLifecycle

/// Housekeeping for what a crash leaves behind on this machine: spool files of outputs that
/// were never moved into the store, temporary files of interrupted writes to a local store,
/// and passes run ahead for jobs another replica published.
enum SpoolSweeper {
    /// Removes regular files in `directory` not modified for `age`; returns how many.
    @discardableResult
    static func sweep(_ directory: String, olderThan age: TimeInterval) -> Int {
        let manager = FileManager.default
        let cutoff = Date().addingTimeInterval(-age)
        var removed = 0
        for name in (try? manager.contentsOfDirectory(atPath: directory)) ?? [] {
            let path = directory + "/" + name
            guard let attributes = try? manager.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let modified = attributes[.modificationDate] as? Date, modified < cutoff else { continue }
            if (try? manager.removeItem(atPath: path)) != nil { removed += 1 }
        }
        return removed
    }

    /// The loop: every `every`, sweep files older than `age` and evict idle passes; it ends
    /// on graceful shutdown.
    static func loop(runtime: RuntimeContext, board: AssemblyBoard, every: Duration = .seconds(300),
                     age: TimeInterval = 6 * 3600) -> LoopService {
        LoopService {
            try await runtime.waitUntilReady()
            try? await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    // After a pause, not at start: replicas start often, and a walk of a large store is not free.
                    try await Task.sleep(for: every)
                    let spooled = sweep(runtime.objects.spoolDirectory, olderThan: age)
                    let temporaries = (try? await (runtime.objects as? LocalObjectStore)?.sweepTemporaries(olderThan: age)) ?? 0
                    await board.evictIdle()
                    if spooled + temporaries > 0 {
                        runtime.logger.notice("removed files left by interrupted writes",
                                              metadata: ["spool": "\(spooled)", "temporaries": "\(temporaries)"])
                    }
                }
            }
        }
    }
}
