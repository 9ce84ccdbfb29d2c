import Contracts
import Foundation
import Outbound
import Plans
import Runtime
import Toolkit

/// Runs a chunk's records through one call step: each item's request with its idempotency
/// key, at most the step's concurrency in flight, each attempt bounded and retried with
/// backoff (429 and `Retry-After` honoured), items over the project's rate limit waiting
/// their turn. An item that fails for good is reported, never stops the others. Each
/// outcome is stored at once, so a redelivered chunk calls only what is still open.
struct CallRunner: Sendable {
    let runtime: RuntimeContext
    let settings: TransformSettings

    /// What came of the chunk's items.
    struct Outcome: Sendable {
        var records: [Record]
        var errors: [RecordError]
        var dropped: Int
        var tally: CallTally
    }

    /// The records called through `call`; `project` for the rate limit and controls.
    func run(_ call: CompiledCall, records: [Record], job: JobContext, project: String?, dryRun: Bool) async throws -> Outcome {
        if dryRun {
            let previews = records.prefix(20).map { record in
                let request = call.request(for: record, jobId: job.jobId, secrets: nil)
                return CallPreview(line: record.line, step: call.number, method: request.method, url: request.url,
                                   headers: request.headers, body: request.body)
            }
            return Outcome(records: records.map(call.unanswered), errors: [], dropped: 0,
                           tally: CallTally(items: records.count, wouldCall: previews))
        }
        let store = CallItemStore(runtime: runtime)
        var done = try await store.load(jobId: job.jobId, step: call.number, lines: records.map(\.line))
        let reused = done.count
        let open = records.filter { done[$0.line] == nil }
        var retries = 0
        if !open.isEmpty {
            let fresh = try await callAll(open, call: call, job: job, project: project, store: store)
            for item in fresh { done[item.line] = item; retries += item.attempts - 1 }
        }
        return assemble(records, call: call, done: done, tally: CallTally(items: records.count, retries: retries, reused: reused))
    }

    /// Calls `records` with the step's concurrency. Paused, no new attempt starts and those in
    /// flight finish (the item boundary); cancelled, a watcher aborts everything at once.
    private func callAll(_ records: [Record], call: CompiledCall, job: JobContext, project: String?,
                         store: CallItemStore) async throws -> [CallItemStore.Item] {
        let purse = job.itemRate.map { TokenPurse(limiter: ItemRateLimiter(runtime: runtime), project: project ?? "default",
                                                   rate: $0, maxWait: settings.maxRateWait) }
        let results = LockedValue<[CallItemStore.Item]>([])
        try await withThrowingTaskGroup(of: Void.self) { outer in
            outer.addTask { try await self.watch(jobId: job.jobId, project: project) }
            outer.addTask {
                try await self.callWindow(records, call: call, job: job, project: project, store: store, purse: purse,
                                          results: results)
            }
            try await outer.next()
            outer.cancelAll()
        }
        return results.get()
    }

    /// Throws ``WorkInterrupt/controlled`` once the job is cancelled.
    private func watch(jobId: String, project: String?) async throws {
        while runtime.controls.verdict(jobId: jobId, project: project) != .drop {
            try await Task.sleep(for: .milliseconds(200))
        }
        throw WorkInterrupt.controlled
    }

    /// Items as tasks, a window of them at a time; each outcome stored as it comes.
    private func callWindow(_ records: [Record], call: CompiledCall, job: JobContext, project: String?,
                            store: CallItemStore, purse: TokenPurse?, results: LockedValue<[CallItemStore.Item]>) async throws {
        let slots = CallSlots(call.policy.concurrency)
        // A pause or the rate limit stops new attempts; those in flight finish and are kept.
        let stop = try await withThrowingTaskGroup(of: ItemOutcome.self) { group in
            var next = 0
            var stop: WorkInterrupt?
            func start() {
                let record = records[next]
                next += 1
                group.addTask {
                    try await self.item(record, call: call, job: job, project: project, slots: slots, purse: purse, store: store)
                }
            }
            while next < min(call.policy.concurrency * 4, records.count) { start() }
            while let outcome = try await group.next() {
                switch outcome {
                case .done(let item):
                    try await store.save(jobId: job.jobId, step: call.number, item)
                    results.update { $0.append(item) }
                case .stopped(let interrupt):
                    stop = stop ?? interrupt
                }
                if next < records.count && stop == nil { start() }
            }
            return stop
        }
        if let stop { throw stop }
    }

    /// How an item's task ended.
    enum ItemOutcome: Sendable {
        /// Succeeded or failed for good.
        case done(CallItemStore.Item)
        /// Not attempted again: paused, or over the rate limit (it is called after the hold).
        case stopped(WorkInterrupt)
    }

    /// Whether the job may start another attempt now.
    private func mayGoOn(_ job: JobContext, _ project: String?) -> Bool {
        runtime.controls.verdict(jobId: job.jobId, project: project) == .run
    }

    /// One item to its end: success, or failure for good; or stopped before its next attempt.
    private func item(_ record: Record, call: CompiledCall, job: JobContext, project: String?, slots: CallSlots,
                      purse: TokenPurse?, store: CallItemStore) async throws -> ItemOutcome {
        let policy = call.policy
        let request = call.request(for: record, jobId: job.jobId, secrets: settings.secrets)
        var attempts = 0
        var millis = 0
        func failed(_ code: String, _ message: String) -> ItemOutcome {
            // Every code of a call step's item starts with `call.` (`fetch.address-refused` → `call.address-refused`).
            let code = code.hasPrefix("call.") ? code : "call." + (code.split(separator: ".").last.map(String.init) ?? code)
            return .done(CallItemStore.Item(line: record.line, succeeded: false, code: code,
                                            error: "step \(call.number) (call): \(request.method) \(request.url) \(message)"
                                                + " (\(attempts) attempt\(attempts == 1 ? "" : "s"))",
                                            attempts: attempts, millis: millis))
        }
        if let problem = refusal(request, record: record, call: call) { return failed(problem.code, problem.message) }
        // Another delivery of this chunk (a re-send handled at the same time) may have done it.
        if let done = try await store.load(jobId: job.jobId, step: call.number, lines: [record.line])[record.line] {
            return .done(done)
        }
        while true {
            guard mayGoOn(job, project) else { return .stopped(.controlled) }
            do { try await purse?.take() } catch let interrupt as WorkInterrupt { return .stopped(interrupt) }
            attempts += 1
            await slots.acquire()
            // Paused while waiting for a slot: no new call starts.
            guard mayGoOn(job, project) else {
                await slots.release()
                return .stopped(.controlled)
            }
            let started = ContinuousClock.now
            let result: Result<CallAnswer, any Error>
            do {
                result = .success(try await SafeFetcher.call(method: request.method, url: request.url, headers: request.headers,
                                                             body: request.body, policy: settings.policy,
                                                             timeout: policy.timeout, maxBytes: settings.maxAnswerBytes))
            } catch {
                result = .failure(error)
            }
            await slots.release()
            millis += Int((ContinuousClock.now - started) / .milliseconds(1))
            var wait: Duration?
            var lastProblem: (code: String, message: String)
            switch result {
            case .failure(let error as OutboundError):
                guard error.transient else { return failed(error.code, "failed: \(error.message)") }
                lastProblem = (error.code, "failed: \(error.message)")
            case .failure(let error):
                throw error  // cancelled: the chunk is stopping
            case .success(let answer):
                switch CallPolicy.verdict(status: answer.status) {
                case .success:
                    let document: JSONValue?
                    if answer.body.isEmpty { document = nil } else {
                        do { document = try JSONValue.parse(answer.body) } catch {
                            return failed("call.invalid-answer", "answered HTTP \(answer.status) with a body that is not JSON")
                        }
                    }
                    return .done(CallItemStore.Item(line: record.line, succeeded: true, values: call.mappedText(from: document),
                                                    attempts: attempts, millis: millis))
                case .permanent:
                    return failed("call.refused", "answered HTTP \(answer.status): \(snippet(answer.body))")
                case .transient:
                    lastProblem = ("call.exhausted", "answered HTTP \(answer.status): \(snippet(answer.body))")
                    wait = CallPolicy.retryAfter(answer.retryAfter)
                    if let asked = wait, asked > policy.cap {
                        return failed("call.retry-after-too-long", "answered HTTP \(answer.status) asking to wait \(asked), longer than the \(policy.cap) cap")
                    }
                }
            }
            guard attempts <= policy.retries else {
                return failed(lastProblem.code == "call.exhausted" ? "call.exhausted" : lastProblem.code,
                              "\(lastProblem.message); no retries left")
            }
            // The wait is cut short by a pause, checked every 200 ms.
            let until = ContinuousClock.now + max(policy.backoff(retry: attempts, unit: Double.random(in: 0..<1)), wait ?? .zero)
            while ContinuousClock.now < until && mayGoOn(job, project) {
                try await Task.sleep(for: min(.milliseconds(200), until - ContinuousClock.now))
            }
        }
    }

    /// The chunk's records in order: answered, or reported (and dropped or kept) when failed.
    private func assemble(_ records: [Record], call: CompiledCall, done: [Int: CallItemStore.Item], tally: CallTally) -> Outcome {
        var outcome = Outcome(records: [], errors: [], dropped: 0, tally: tally)
        outcome.records.reserveCapacity(records.count)
        for record in records {
            guard let item = done[record.line] else { continue }
            outcome.tally.totalMillis += item.millis
            outcome.tally.maxMillis = max(outcome.tally.maxMillis, item.millis)
            if item.succeeded {
                outcome.tally.succeeded += 1
                outcome.records.append(call.answered(record, mappedText: item.values))
                continue
            }
            outcome.tally.failed += 1
            outcome.errors.append(RecordError(line: record.line, field: nil, code: item.code ?? "call.failed",
                                              message: item.error ?? "the call failed"))
            if call.step.onError == .drop { outcome.dropped += 1 } else { outcome.records.append(call.unanswered(record)) }
        }
        return outcome
    }
}
