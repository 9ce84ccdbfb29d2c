import Contracts
import Tabular
import CCairo

/// Collects the bytes cairo writes through a stream callback.
///
/// cairo's stream APIs (`cairo_pdf_surface_create_for_stream`,
/// `cairo_surface_write_to_png_stream`) take a C function pointer and an opaque `closure`
/// pointer. A C function pointer cannot capture Swift state, so the callback is a
/// non-capturing closure and the sink travels as the `closure` pointer: an unretained
/// `Unmanaged` reference, valid because every user keeps the sink alive with
/// `withExtendedLifetime` until the surface is finished.
///
/// The sink is used from the one thread that drives the surface (cairo calls back
/// synchronously from `show_page`, `finish` and `write_to_png_stream`), so it needs no lock
/// and is deliberately not `Sendable`.
final class ByteSink {
    /// Everything written so far.
    private(set) var bytes: [UInt8] = []
    /// A limit that turns runaway output into a write error instead of unbounded memory.
    let limit: Int
    /// Whether a write was refused because of `limit`.
    private(set) var overflowed = false

    /// An empty sink accepting at most `limit` bytes (default 512 MiB).
    init(limit: Int = 512 << 20) {
        self.limit = limit
    }

    /// The pointer to pass as cairo's `closure` argument. Unretained: keep the sink alive.
    var closure: UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }

    /// Appends one chunk; `false` if it would exceed the limit.
    func append(_ chunk: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count + chunk.count <= limit else {
            overflowed = true
            return false
        }
        bytes.append(contentsOf: chunk)
        return true
    }

    /// The write callback for cairo. Computed, not stored: a stored static of a function
    /// pointer type would be shared mutable-looking global state under Swift 6's checks,
    /// and a non-capturing closure converts to `@convention(c)` for free.
    static var writeFunction: cairo_write_func_t {
        { closure, data, length in
            guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
            let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
            guard length > 0 else { return CAIRO_STATUS_SUCCESS }
            guard let data else { return CAIRO_STATUS_WRITE_ERROR }
            let accepted = sink.append(UnsafeBufferPointer(start: data, count: Int(length)))
            return accepted ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR
        }
    }
}
