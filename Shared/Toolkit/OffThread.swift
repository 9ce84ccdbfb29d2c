import Dispatch

/// Runs blocking work (file I/O, a blocking C call) on a Dispatch thread instead of one of
/// Swift concurrency's few cooperative threads, which must never block; the caller suspends
/// until it is done. Move work across in batches: one hop per chunk, not per row.
public func offThread<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
    let result: Result<T, E> = await withCheckedContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async {
            do throws(E) {
                continuation.resume(returning: .success(try work()))
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }
    }
    return try result.get()
}
