import APIModels
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
@testable import TestSupport
import Testing
import Toolkit

/// The call step against a real HTTP server on loopback that is slow, sometimes answers
/// 429 or 503, and refuses some items for good.
@Suite("Call step (real RabbitMQ, PostgreSQL and a flaky HTTP server)", .serialized)
struct CallStepTests {
    /// What the server saw.
    struct Ledger: Sendable {
        var attempts: [String: Int] = [:]
        var succeeded: Set<String> = []
        var calledAfterSuccess = 0
        var badSecret = 0
        var keys: [String: String] = [:]
        var requests = 0
    }

    /// Item `id`: every tenth refused for good (422); ids ending in 1 answer 503 once, ids
    /// ending in 2 answer 429 with `Retry-After: 1` once; all answer after 5–25 ms.
    static func server(_ ledger: LockedValue<Ledger>) -> Router<BasicRequestContext> {
        let router = Router()
        router.post("items/:id") { request, context -> Response in
            let id = try context.parameters.require("id", as: Int.self)
            let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? ""
            let secret = request.headers[.authorization]
            let body = try await request.body.collect(upTo: 4096)
            try await Task.sleep(for: .milliseconds(Int.random(in: 5...25)))
            let attempt = ledger.update { ledger -> Int in
                ledger.requests += 1
                if ledger.succeeded.contains(key) { ledger.calledAfterSuccess += 1 }
                if secret != "Bearer s3cret" { ledger.badSecret += 1 }
                ledger.keys["\(id)"] = key
                ledger.attempts[key, default: 0] += 1
                return ledger.attempts[key]!
            }
            let sent = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
            if id % 10 == 0 {
                return Response(status: .unprocessableContent, body: .init(byteBuffer: ByteBuffer(string: #"{"error":"unknown UPC"}"#)))
            }
            if id % 10 == 1 && attempt == 1 { return Response(status: .serviceUnavailable) }
            if id % 10 == 2 && attempt == 1 {
                return Response(status: .tooManyRequests, headers: [.retryAfter: "1"])
            }
            ledger.update { _ = $0.succeeded.insert(key) }
            let qty = sent?["qty"] as? Int ?? -1
            let json = #"{"product":{"title":"Item \#(id)","price":\#(Double(id) * 1.5),"qty":\#(qty)}}"#
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        return router
    }

    static func plan(base: String) -> ProcessingPlan {
        ProcessingPlan(name: "lookup", steps: [
            .call(CallStep(method: "POST", url: "\(base)/items/{{upc}}",
                           headers: ["Authorization": "Bearer {{secret:catalog}}"],
                           body: .object(["upc": .string("{{upc}}"), "qty": .string("{{qty}}"), "source": .string("sluice")]),
                           map: ["title": "/product/title", "price": "/product/price", "echoed": "/product/qty"],
                           concurrency: 16)),
            .derive(DeriveStep(column: "value", expression: "price * qty")),
        ])
    }

    struct Results: Decodable {
        struct Calls: Decodable {
            struct Failure: Decodable { var line: Int; var code: String; var message: String }
            var items: Int
            var succeeded: Int
            var failed: Int
            var successRate: Double
            var retries: Int
            var millisPerItem: Double
            var failures: [Failure]
            var wouldCall: [CallPreview]?
        }
        var calls: Calls?
    }

    @Test("1,000 items, 10% failing for good, 20% transiently: exactly 900 succeed, 100 reported, 90%, none called twice after success")
    func flakyServer() async throws {
        let ledger = LockedValue(Ledger())
        try await Self.withServer(Self.server(ledger), overrides: ["call.secrets.catalog": "s3cret", "call.hosts.catalog": "127.0.0.1"]) { world, base in
            try await Self.run(world, base: base, ledger: ledger)
        }
    }

    static func run(_ world: GatewayWorld, base: String, ledger: LockedValue<Ledger>) async throws {
        let pipeline = world.pipeline
        let member = world.token("member-a")
        let csv = "upc,qty\n" + (1...1000).map { "\($0),\($0 % 7 + 1)" }.joined(separator: "\n") + "\n"
        let jobId = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: member, json: JobSubmit(
            name: "upcs", source: .inline(csv), format: "csv", chunkSize: 100, plan: Self.plan(base: base))).id
        let end = try await pipeline.waitForEnd(jobId, timeout: .seconds(180))
        print("call job ended: \(end)")
        #expect(end.state == "published", "\(end)")
        #expect(end.rowsValid == 900 && end.rowsInvalid == 100, "\(end)")
        let seen = ledger.get()
        #expect(seen.calledAfterSuccess == 0, "no item is called again after it succeeded")
        #expect(seen.badSecret == 0, "the secret from configuration is sent in the header")
        #expect(seen.succeeded.count == 900)
        #expect(seen.keys.count == 1000 && Set(seen.keys.values).count == 1000, "one idempotency key per item")
        #expect(seen.keys["7"] == "\(jobId):1:8", "the default key is job, step and source line")
        let transient = seen.keys.filter { (Int($0.key) ?? 0) % 10 == 1 || (Int($0.key) ?? 0) % 10 == 2 }
        #expect(transient.allSatisfy { seen.attempts[$0.value] == 2 }, "each transient item was tried exactly twice")

        let results = try JSONCoding.decoder().decode(Results.self, from: Data(try await pipeline.artifact(jobId, "results.json")))
        let calls = try #require(results.calls)
        #expect(calls.items == 1000 && calls.succeeded == 900 && calls.failed == 100, "\(calls.items) \(calls.succeeded) \(calls.failed)")
        #expect(calls.successRate == 0.9)
        #expect(calls.retries == 200, "\(calls.retries)")
        #expect(calls.millisPerItem > 0)
        #expect(calls.failures.count == 100)
        #expect(calls.failures.allSatisfy { ($0.line - 1) % 10 == 0 && $0.code == "call.refused" && $0.message.contains("HTTP 422") },
                "\(calls.failures.prefix(2))")
        let report = String(decoding: try await pipeline.artifact(jobId, "validation.csv"), as: UTF8.self)
        #expect(report.split(separator: "\n").filter { $0.contains("call.refused") }.count == 100)
        #expect(report.contains("unknown UPC"), "the answer's body is in the error")
        let output = String(decoding: try await pipeline.artifact(jobId, "output.csv"), as: UTF8.self)
        let lines = output.split(separator: "\n")
        #expect(lines.first == "upc,qty,echoed,price,title,value", "\(lines.first ?? "")")
        #expect(lines.contains("7,1,1,10.5,Item 7,10.5"), "\(lines.prefix(8))")
        #expect(lines.count == 901)
        // The history has one note per chunk with its item failures and retries.
        let events = try await pipeline.gatewayJSON(JobEventPage.self, "GET", "/jobs/\(jobId)/events?limit=500", token: member).items
        let failures = events.filter { $0.kind == "items_failed" }
        #expect(failures.count == 10, "\(events.map(\.kind))")
        #expect(failures.allSatisfy { $0.message.contains("90 of 100 call items succeeded, 10 failed for good, 20 retries") },
                "\(failures.first?.message ?? "")")

        // A dry run calls nothing and shows what it would call, secrets named, not shown.
        let before = ledger.get().requests
        let dryId = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: member, json: JobSubmit(
            name: "upcs", source: .inline(csv), format: "csv", chunkSize: 500, plan: Self.plan(base: base),
            options: JobOptions(dryRun: true))).id
        let dry = try await pipeline.waitForEnd(dryId, timeout: .seconds(60))
        #expect(dry.state == "published" || dry.state == "dry-run", "\(dry)")
        #expect(ledger.get().requests == before, "a dry run makes no calls")
        let dryResults = try JSONCoding.decoder().decode(Results.self, from: Data(try await pipeline.artifact(dryId, "results.json")))
        let preview = try #require(dryResults.calls?.wouldCall?.first)
        #expect(preview.url == "\(base)/items/1" && preview.method == "POST")
        #expect(preview.headers["Authorization"] == "Bearer [secret catalog]")
        #expect(preview.body == #"{"qty":2,"source":"sluice","upc":1}"#, "\(preview.body ?? "")")
    }

    /// A slow server (every item answers after `delay`), recording when each item was called.
    static func slowServer(_ ledger: LockedValue<Ledger>, times: LockedValue<[Date]>, delay: Duration) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("slow/:id") { request, context -> Response in
            let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? ""
            ledger.update {
                $0.requests += 1
                if $0.succeeded.contains(key) { $0.calledAfterSuccess += 1 }
            }
            times.update { $0.append(Date()) }
            try await Task.sleep(for: delay)
            ledger.update { _ = $0.succeeded.insert(key) }
            let id = try context.parameters.require("id")
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"id":"\#(id)"}"#)))
        }
        return router
    }

    static func slowPlan(_ base: String, concurrency: Int = 4) -> ProcessingPlan {
        ProcessingPlan(name: "slow", steps: [.call(CallStep(url: "\(base)/slow/{{upc}}", map: ["echo": "/id"], concurrency: concurrency))])
    }

    /// Runs `body` with a server on loopback and a gateway world whose transform may call it.
    static func withServer(_ router: Router<BasicRequestContext>, overrides: [String: String] = [:],
                           _ body: @escaping @Sendable (GatewayWorld, String) async throws -> Void) async throws {
        let port = LockedValue<Int?>(nil)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.set(channel.localAddress?.port) },
                              logger: Logger(label: "call-test"))
        let world = try GatewayWorld(overrides: ["call.fetch.allow": "127.0.0.0/8"].merging(overrides) { $1 })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            while port.get() == nil { try await Task.sleep(for: .milliseconds(20)) }
            do {
                try await world.start()
                try await body(world, "http://127.0.0.1:\(port.get()!)")
            } catch {
                await world.pipeline.stopAll()
                group.cancelAll()
                throw error
            }
            await world.pipeline.stopAll()
            group.cancelAll()
        }
    }

    @Test("pause stops a chunk at the next item and resume calls only what is open; cancel stops calls within 2 s")
    func pauseResumeCancel() async throws {
        let ledger = LockedValue(Ledger())
        let times = LockedValue<[Date]>([])
        try await Self.withServer(Self.slowServer(ledger, times: times, delay: .milliseconds(100))) { world, base in
            let pipeline = world.pipeline
            let member = world.token("member-a")
            let csv = "upc\n" + (1...300).map(String.init).joined(separator: "\n") + "\n"
            let job = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: member, json: JobSubmit(
                name: "slow", source: .inline(csv), format: "csv", chunkSize: 1000, plan: Self.slowPlan(base)))
            _ = try await TestEnvironment.eventually(timeout: .seconds(60), every: .milliseconds(20)) { ledger.get().requests >= 40 }
            _ = try await pipeline.gateway("POST", "/jobs/\(job.id)/pause", token: member)
            // The pause reaches transform through the broker and its control board (250 ms
            // refresh); under the full suite's load that has taken more than 1.5 s.
            try await Task.sleep(for: .seconds(3))
            let held = ledger.get().requests
            try await Task.sleep(for: .seconds(2))
            #expect(ledger.get().requests == held, "no calls while paused")
            #expect(held < 300, "the pause came before the chunk was done")
            _ = try await pipeline.gateway("POST", "/jobs/\(job.id)/resume", token: member)
            let done = try await TestEnvironment.eventually(timeout: .seconds(120)) {
                try await pipeline.gatewayJSON(GatewayJob.self, "GET", "/jobs/\(job.id)", token: member).state == "completed"
            }
            #expect(done)
            #expect(ledger.get().calledAfterSuccess == 0, "no item called again after it succeeded")
            let results = try JSONCoding.decoder().decode(Results.self, from: Data(try await pipeline.artifact(job.id, "results.json")))
            #expect(results.calls?.succeeded == 300 && results.calls?.items == 300)
            let requests = ledger.get().requests
            #expect(requests >= 300 && requests <= 300 + 4, "only the items in flight at the pause are called again: \(requests)")

            // Cancel: calls stop within 2 s, the job ends cancelled, nothing is published.
            let second = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: member, json: JobSubmit(
                name: "slow-2", source: .inline(csv), format: "csv", chunkSize: 1000, plan: Self.slowPlan(base)))
            let start = ledger.get().requests
            _ = try await TestEnvironment.eventually(timeout: .seconds(60), every: .milliseconds(20)) { ledger.get().requests >= start + 20 }
            _ = try await pipeline.gateway("POST", "/jobs/\(second.id)/cancel", token: member)
            let cancelledAt = Date()
            try await Task.sleep(for: .seconds(3))
            let late = times.get().filter { $0 > cancelledAt.addingTimeInterval(2) }
            #expect(late.isEmpty, "\(late.count) calls more than 2 s after the cancel")
            let state = try await pipeline.gatewayJSON(GatewayJob.self, "GET", "/jobs/\(second.id)", token: member).state
            #expect(state == "cancelled")
        }
    }

    @Test("a project's call-item limit through the API: items over it wait, the chunk is held as rate_limited, then completes")
    func itemRateLimit() async throws {
        let ledger = LockedValue(Ledger())
        let times = LockedValue<[Date]>([])
        try await Self.withServer(Self.slowServer(ledger, times: times, delay: .milliseconds(5)),
                                  overrides: ["call.rate.wait.ms": "1000"]) { world, base in
            let pipeline = world.pipeline
            let admin = world.token("admin")
            let member = world.token("member-a")
            let set = try await pipeline.gatewayJSON(ProjectLimits.self, "PUT", "/projects/alpha/limits", token: admin,
                                                     json: ProjectLimits(jobsPerMinute: 0, itemsPerMinute: 12, itemsBurst: 2))
            #expect(set.itemsPerMinute == 12 && set.itemsBurst == 2, "\(set)")
            let csv = "upc\n" + (1...5).map(String.init).joined(separator: "\n") + "\n"
            let job = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: member, json: JobSubmit(
                name: "limited", source: .inline(csv), format: "csv", plan: Self.slowPlan(base)))
            let done = try await TestEnvironment.eventually(timeout: .seconds(90)) {
                try await pipeline.gatewayJSON(GatewayJob.self, "GET", "/jobs/\(job.id)", token: member).state == "completed"
            }
            #expect(done)
            let seen = times.get().sorted()
            #expect(seen.count == 5)
            // Two at once (the burst), then one token every 5 s.
            for index in 2..<seen.count {
                #expect(seen[index].timeIntervalSince(seen[index - 1]) > 4.0, "item \(index + 1) came too soon")
            }
            let events = try await pipeline.gatewayJSON(JobEventPage.self, "GET", "/jobs/\(job.id)/events", token: member).items
            let wait = try #require(events.first { $0.kind == "rate_limited" }, "\(events.map(\.kind))")
            #expect(wait.message.contains("over 12 call items per minute") && wait.notBefore != nil, "\(wait)")
            _ = try await pipeline.gateway("DELETE", "/projects/alpha/limits", token: admin)
        }
    }

    @Test("refused before sending: an empty URL value, a header with a line break, a secret bound for other hosts")
    func refusals() async throws {
        let ledger = LockedValue(Ledger())
        let times = LockedValue<[Date]>([])
        let overrides = ["call.secrets.catalog": "s3cret", "call.hosts.catalog": "127.0.0.1",
                         "call.secrets.other": "elsewhere", "call.hosts.other": "api.example.org,*.example.net"]
        try await Self.withServer(Self.slowServer(ledger, times: times, delay: .milliseconds(1)), overrides: overrides) { world, base in
            let pipeline = world.pipeline
            let member = world.token("member-a")
            func plan(_ secret: String) -> ProcessingPlan {
                ProcessingPlan(name: "checked", steps: [.call(CallStep(url: "\(base)/slow/{{upc}}",
                                                                       headers: ["X-Name": "{{name}}", "X-Key": "{{secret:\(secret)}}"],
                                                                       map: ["echo": "/id"]))])
            }
            let csv = "upc,name\n,blank\n5,\"two\r\nlines\"\n6,fine\n"
            let job = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: member, json: JobSubmit(
                name: "checked", source: .inline(csv), format: "csv", plan: plan("catalog")))
            let end = try await pipeline.waitForEnd(job.id, timeout: .seconds(60))
            #expect(end.rowsValid == 1 && end.rowsInvalid == 2, "\(end)")
            let results = try JSONCoding.decoder().decode(Results.self, from: Data(try await pipeline.artifact(job.id, "results.json")))
            #expect(results.calls?.failures.map(\.code) == ["call.empty-value", "call.bad-header"], "\(results.calls?.failures ?? [])")
            #expect(ledger.get().requests == 1, "only the good item was sent")
            let elsewhere = try await pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: member, json: JobSubmit(
                name: "elsewhere", source: .inline("upc,name\n7,a\n"), format: "csv", plan: plan("other")))
            _ = try await pipeline.waitForEnd(elsewhere.id, timeout: .seconds(60))
            let refused = try JSONCoding.decoder().decode(Results.self, from: Data(try await pipeline.artifact(elsewhere.id, "results.json")))
            let failure = try #require(refused.calls?.failures.first)
            #expect(failure.code == "call.secret-host-refused" && failure.message.contains("api.example.org"), "\(failure)")
            #expect(ledger.get().requests == 1, "the secret never left")
        }
    }
}
