import Storage

/// Where the dispatcher counts redeliveries of suspected poison (an I/O seam: PostgreSQL's
/// ``DeliveryCounter`` in services, an in-memory ledger in unit tests). The count must be
/// durable before the handler runs, since a poison message kills the process.
public protocol DeliveryLedger: Sendable {
    /// Counts one more redelivery of `key` from `queue`; returns the redeliveries counted.
    func record(_ key: String, queue: String) async throws -> Int
    /// Forgets `key` once the message is settled.
    func forget(_ key: String, queue: String) async throws
}

extension DeliveryCounter: DeliveryLedger {}
