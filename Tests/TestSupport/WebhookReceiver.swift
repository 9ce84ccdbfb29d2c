import Foundation
import Hummingbird
import Toolkit

/// A webhook endpoint on loopback that records what it receives (and when), failing the
/// first `failures` requests with 503.
final class WebhookReceiver: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [(at: ContinuousClock.Instant, body: [UInt8])] = []
    private var attempts: [ContinuousClock.Instant] = []
    private let failures: Int
    private let content: String
    private var server: Task<Void, any Error>?
    private let port = LockedValue<Int?>(nil)

    /// `content` is what a successful GET returns (a receiver doubles as a flaky file server).
    init(failures: Int = 0, content: String = "") {
        self.failures = failures
        self.content = content
    }

    /// Starts listening; returns the URL to POST to.
    func start(path: String = "hook") async throws -> String {
        let router = Router()
        router.post(RouterPath(path)) { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 22)
            return self.handle(Array(buffer: body))
        }
        router.get(RouterPath(path)) { _, _ -> Response in
            let status = self.handle([])
            return Response(status: status, headers: [.contentType: "text/csv"],
                            body: .init(byteBuffer: ByteBuffer(string: status == .ok ? self.content : "")))
        }
        let port = self.port
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { port.set($0.localAddress?.port) })
        server = Task { try await app.runService() }
        _ = try await TestEnvironment.eventually { port.get() != nil }
        return "http://127.0.0.1:\(port.get() ?? 0)/\(path)"
    }

    func stop() { server?.cancel() }

    private func handle(_ body: [UInt8]) -> HTTPResponse.Status {
        lock.withLock {
            attempts.append(.now)
            if attempts.count <= failures { return .serviceUnavailable }
            received.append((.now, body))
            return .ok
        }
    }

    /// Bodies received with 2xx, in order.
    var bodies: [[UInt8]] { lock.withLock { received.map(\.body) } }
    /// When each request (failed or not) arrived.
    var attemptTimes: [ContinuousClock.Instant] { lock.withLock { attempts } }
}
