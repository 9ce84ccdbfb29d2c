import CCurl
import Foundation

/// Every call step's HTTP requests in one process, on one thread of its own: a libcurl multi
/// handle drives all transfers at once, so blocking C code never occupies the threads that
/// run Swift tasks (on Linux those are the same few dispatch threads, one per core; blocking
/// them with calls to a slow service stalled the whole service). Work crosses the boundary
/// in batches: the thread takes every request submitted since it last woke.
public final class CallEngine: @unchecked Sendable {
    /// The process's engine, started on first use.
    public static let shared = CallEngine()

    private let lock = NSLock()
    private var submitted: [CallTransfer] = []
    private var cancelled: Set<Int> = []
    private var nextId = 0
    private let multi: UnsafeMutableRawPointer
    /// Resolved and checked addresses by host, for a minute (thousands of items call one host);
    /// a refusal or failed lookup for 10 s. The lookup runs on this thread: a slow resolver
    /// delays every call, once a minute per host.
    private var addresses: [String: (result: Result<String, any Error>, until: ContinuousClock.Instant)] = [:]

    private init() {
        _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        multi = curl_multi_init()
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "sluice-calls"
        thread.start()
    }

    /// Sends one request and returns the answer; task cancellation aborts it at once.
    func perform(method: String, url: String, headers: [String: String], body: String?, policy: AddressPolicy,
                 timeout: Duration, maxBytes: Int) async throws -> CallAnswer {
        let id = lock.withLock { nextId += 1; return nextId }
        let transfer = CallTransfer(id: id, method: method, url: url, headers: headers, body: body, policy: policy,
                                    timeout: timeout, maxBytes: maxBytes)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.continuation = continuation
                lock.withLock {
                    submitted.append(transfer)
                    // Cancelled before it got here: its cancellation may have been seen already.
                    if Task.isCancelled { cancelled.insert(id) }
                }
                curl_multi_wakeup(multi)
            }
        } onCancel: {
            lock.withLock { _ = cancelled.insert(id) }
            curl_multi_wakeup(multi)
        }
    }

    private func loop() {
        var active: [Int: CallTransfer] = [:]
        while true {
            let (incoming, stopping) = lock.withLock { () -> ([CallTransfer], Set<Int>) in
                defer { submitted = []; cancelled = [] }
                return (submitted, cancelled)
            }
            for transfer in incoming {
                if stopping.contains(transfer.id) { finish(transfer, .failure(CancellationError())); continue }
                do {
                    let target = try FetchTarget(transfer.url)
                    try transfer.prepare(target: target, address: try address(of: target, policy: transfer.policy))
                    curl_multi_add_handle(multi, transfer.handle)
                    active[transfer.id] = transfer
                } catch {
                    finish(transfer, .failure(error))
                }
            }
            for id in stopping {
                // Finished already, or not submitted yet (then it is marked again on submission).
                guard let transfer = active.removeValue(forKey: id) else { continue }
                curl_multi_remove_handle(multi, transfer.handle)
                finish(transfer, .failure(CancellationError()))
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE,
                      let done = active.first(where: { $0.value.handle == message.pointee.easy_handle })?.value else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, done.handle)
                active.removeValue(forKey: done.id)
                finish(done, done.outcome(code))
            }
            var ready: Int32 = 0
            curl_multi_poll(multi, nil, 0, 1000, &ready)
        }
    }

    private func finish(_ transfer: CallTransfer, _ result: Result<CallAnswer, any Error>) {
        transfer.continuation?.resume(with: result)
        transfer.continuation = nil
    }

    /// The host's address, checked against the policy (cached for a minute per policy and host).
    private func address(of target: FetchTarget, policy: AddressPolicy) throws -> String {
        let key = "\(policy.allowed.map(\.description).joined(separator: ","))|\(target.host)"
        if let cached = addresses[key], cached.until > .now { return try cached.result.get() }
        if addresses.count > 1000 { addresses = addresses.filter { $0.value.until > .now } }
        let result = Result { try target.resolve(policy: policy) }
        addresses[key] = (result, .now + (result.isSuccess ? .seconds(60) : .seconds(10)))
        return try result.get()
    }
}

extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
}
