import Runtime

#if os(Linux)
/// glibc's `mallopt` (malloc.h is not in the Glibc module); two `int`s in, one out.
@_silgen_name("mallopt") private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
/// malloc.h's parameter numbers.
private let trimThresholdParameter: Int32 = -1, mmapThresholdParameter: Int32 = -3, arenaMaxParameter: Int32 = -8
#endif

/// glibc `malloc` settings for a service process (`memory.mmap.threshold.bytes`,
/// `memory.trim.threshold.bytes`, `memory.arenas`), set once at start by `sluice serve`.
///
/// A stage allocates and frees buffers of a few MiB per chunk (Arrow columns, chunk bytes).
/// With glibc's defaults, such a block is handed back to the kernel when freed and faulted in
/// again, zeroed, for the next chunk: page faults were a tenth of the transform stage's time
/// (`bench/`). Serving these sizes from the heap and keeping a freed top of the heap up to the
/// trim threshold reuses the memory instead. The peak resident size stays what a chunk needs;
/// an idle service may keep up to the trim threshold of freed heap.
///
/// glibc also gives threads their own arenas (up to eight per core); memory freed in one is
/// not reused by another, and a stage's work hops between the concurrency pool's threads.
/// Two arenas cut publish's peak resident size by a tenth at no measurable cost in time.
public struct MemoryTuning: Sendable, Equatable {
    /// Blocks at least this large get their own mapping (glibc caps it at 32 MiB on 64-bit).
    public var mmapThreshold: Int
    /// Freed memory at the top of the heap beyond this is returned to the kernel.
    public var trimThreshold: Int
    /// The most malloc arenas (0: glibc's default of eight per core).
    public var arenas: Int

    /// Reads the settings for `service`; 0 for any of them leaves glibc's own behaviour for it.
    ///
    /// Publish defaults to 4 MiB thresholds instead of 32: it holds a job's keys and statistics
    /// and ends with a burst of report building, so memory it keeps after freeing adds straight
    /// to its peak (140–151 MiB on a million-row job with every output, 128 MiB with 4 MiB
    /// thresholds, at no measurable cost in time; `docs/benchmarks.md`). The gateway too: each
    /// Argon2id hash takes 19 MiB, which under 32 MiB thresholds stays on the heap after the
    /// sign-in (peak 131 MiB after a dozen sign-ins; 64 MiB with 4 MiB thresholds).
    public init(values: ConfigValues, service: String? = nil) throws {
        let threshold = service == "publish" || service == "gateway" ? 4 << 20 : 32 << 20
        mmapThreshold = try values.int("memory.mmap.threshold.bytes", threshold)
        trimThreshold = try values.int("memory.trim.threshold.bytes", threshold)
        arenas = try values.int("memory.arenas", 2)
    }

    /// Applies the thresholds to this process.
    public func apply() {
        #if os(Linux)
        if mmapThreshold > 0 { _ = glibcMallopt(mmapThresholdParameter, Int32(clamping: mmapThreshold)) }
        if trimThreshold > 0 { _ = glibcMallopt(trimThresholdParameter, Int32(clamping: trimThreshold)) }
        if arenas > 0 { _ = glibcMallopt(arenaMaxParameter, Int32(clamping: arenas)) }
        #endif
    }
}
