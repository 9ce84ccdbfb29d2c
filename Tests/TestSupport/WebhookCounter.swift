import Foundation
import Hummingbird

/// A webhook endpoint's memory: it fails the first `failures` calls, then keeps the bodies.
final class WebhookCounter: @unchecked Sendable {
    let lock = NSLock()
    var bodies: [[UInt8]] = []
    var attempts = 0
    let failures: Int
    init(failures: Int) { self.failures = failures }

    func handle(_ body: [UInt8]) -> HTTPResponse.Status {
        lock.withLock {
            attempts += 1
            if attempts <= failures { return .serviceUnavailable }
            bodies.append(body)
            return .ok
        }
    }
}
