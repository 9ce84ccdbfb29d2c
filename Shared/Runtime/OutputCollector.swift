import Foundation
import Messaging

/// Collects outgoing messages (a handler may emit from concurrent child tasks).
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [OutgoingMessage] = []

    func append(_ message: OutgoingMessage) { lock.withLock { items.append(message) } }
    var messages: [OutgoingMessage] { lock.withLock { items } }
}
