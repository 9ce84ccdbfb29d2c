import Foundation

/// A value behind a lock, for state set from callbacks and read from async code.
public final class LockedValue<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T

    /// Creates the box.
    public init(_ value: T) { self.value = value }
    /// Reads the value.
    public func get() -> T { lock.withLock { value } }
    /// Replaces the value.
    public func set(_ newValue: T) { lock.withLock { value = newValue } }
    /// Changes the value in place and returns what `body` returns.
    public func update<R>(_ body: (inout T) -> R) -> R { lock.withLock { body(&value) } }
}
