import Contracts
import Foundation
import Plans
import Tabular
import Testing
@testable import TestSupport
@testable import TransformService

/// The call step's rules as plain values: decoding, templates, JSON Pointer, backoff,
/// `Retry-After`, and the plan cut around calls.
@Suite("Call step rules")
struct CallStepRuleTests {
    static let step = CallStep(method: "post", url: "https://api.example.org/items/{{upc}}?q={{name}}",
                               headers: ["Authorization": "Bearer {{secret:catalog}}", "X-Name": "{{name}}"],
                               body: .object(["upc": .string("{{upc}}"), "label": .string("item {{name}}"),
                                              "tags": .array([.string("a"), .number(2)])]),
                               map: ["title": "/product/title", "first": "/items/0/id", "name": "/renamed"])

    @Test("a plan with a call step decodes strictly and round-trips")
    func decoding() throws {
        let text = """
            {"name": "p", "steps": [{"op": "call", "url": "https://x/{{a}}", "map": {"t": "/t"},
              "retry": {"retries": 2, "initialSeconds": 0.5}, "onError": "keep"}]}
            """
        let plan = try ProcessingPlan.parse(text: text)
        guard case .call(let call) = plan.steps[0] else { Issue.record("not a call step"); return }
        #expect(call.method == "GET" && call.retry?.retries == 2 && call.onError == .keep)
        #expect(try ProcessingPlan.parse(text: plan.jsonText()) == plan)
        #expect(throws: (any Error).self) {
            try ProcessingPlan.parse(text: #"{"name": "p", "steps": [{"op": "call", "url": "https://x", "mapp": {}}]}"#)
        }
        #expect(throws: (any Error).self) {
            try ProcessingPlan.parse(text: #"{"name": "p", "steps": [{"op": "call", "url": "https://x", "retry": {"retires": 2}}]}"#)
        }
    }

    @Test("requests are built from the record: URL values percent-encoded, typed body values, secrets only in headers")
    func requests() throws {
        let call = try CompiledCall(Self.step, number: 2, columns: ["upc", "name"], maxConcurrency: 64)
        let record = Record(line: 5, values: [.integer(42), .string("a b/c")])
        let request = call.request(for: record, jobId: "job-1", secrets: ["catalog": "t0ken"])
        #expect(request.method == "POST")
        #expect(request.url == "https://api.example.org/items/42?q=a%20b%2Fc")
        #expect(request.headers["Authorization"] == "Bearer t0ken" && request.headers["X-Name"] == "a b/c")
        #expect(request.headers["Idempotency-Key"] == "job-1:2:5" && request.key == "job-1:2:5")
        #expect(request.body == #"{"label":"item a b/c","tags":["a",2],"upc":42}"#)
        let preview = call.request(for: record, jobId: "job-1", secrets: nil)
        #expect(preview.headers["Authorization"] == "Bearer [secret catalog]")
        #expect(call.secrets == ["catalog"])
        #expect(call.outputColumns == ["upc", "name", "first", "title"], "an existing column is overwritten in place")
    }

    @Test("templates are checked when the plan compiles", arguments: [
        (CallStep(url: "https://x/{{nope}}"), "unknown column 'nope'"),
        (CallStep(url: "https://x/{{secret:k}}"), "only in headers"),
        (CallStep(method: "POST", url: "https://x", body: .string("{{secret:k}}")), "only in headers"),
        (CallStep(url: "ftp://x"), "http:// or https://"),
        (CallStep(method: "TRACE", url: "https://x"), "must be one of"),
        (CallStep(url: "https://x", body: .null), "GET call has no"),
        (CallStep(url: "https://x/{{a"), "without a closing"),
        (CallStep(url: "https://x", map: ["t": "title"]), "JSON Pointer"),
        (CallStep(url: "https://x", retry: CallRetry(retries: 50)), "out of range"),
    ])
    func checked(_ step: CallStep, _ message: String) {
        #expect { _ = try CompiledCall(step, number: 1, columns: ["a"], maxConcurrency: 8) } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test("the upc-lookup example's plan compiles against its schema's columns, one call step then a derive")
    func example() throws {
        let url = TestEnvironment.packageRoot.appendingPathComponent("examples/upc-lookup/plan.yaml")
        let plan = try ProcessingPlan.parse(text: String(contentsOf: url, encoding: .utf8))
        let stages = try plan.stages(columns: ["upc", "quantity", "shelf"])
        #expect(stages.calls.first?.secrets == ["catalog"])
        #expect(stages.outputColumns == ["upc", "quantity", "shelf", "currency", "price", "title", "stock_value"])
    }

    @Test("a secret goes only to its listed hosts: exact names, or subdomains with *.")
    func secretHosts() {
        let hosts = ["api.example.org", "*.example.net"]
        #expect(TransformSettings.host("api.example.org", matches: hosts))
        #expect(TransformSettings.host("a.b.example.net", matches: hosts))
        #expect(!TransformSettings.host("example.net", matches: hosts), "*. is for subdomains only")
        #expect(!TransformSettings.host("evilexample.net", matches: hosts))
        #expect(!TransformSettings.host("api.example.org.evil.com", matches: hosts))
        #expect(!TransformSettings.host("x", matches: []))
    }

    @Test("a URL placeholder with an empty value is found before the request is sent")
    func blankURLValues() throws {
        let call = try CompiledCall(Self.step, number: 1, columns: ["upc", "name"], maxConcurrency: 8)
        #expect(call.blankURLColumns(Record(line: 2, values: [.null, .string(" ")])) == ["upc", "name"])
        #expect(call.blankURLColumns(Record(line: 2, values: [.integer(0), .string("x")])).isEmpty)
    }

    @Test("answers are mapped by JSON Pointer into typed cells; a missing field is null")
    func mapping() throws {
        let call = try CompiledCall(Self.step, number: 1, columns: ["upc", "name"], maxConcurrency: 64)
        let document = try JSONValue.parse(Array(#"{"product": {"title": "Lamp"}, "items": [{"id": 7}], "renamed": {"x": [1, true]}}"#.utf8))
        let text = call.mappedText(from: document)
        let record = call.answered(Record(line: 2, values: [.integer(1), .string("n")]), mappedText: text)
        #expect(record.values == [.integer(1), .string(#"{"x":[1,true]}"#), .integer(7), .string("Lamp")])
        let empty = call.unanswered(Record(line: 3, values: [.integer(1), .string("n")]))
        #expect(empty.values == [.integer(1), .null, .null, .null])
    }

    @Test("JSON Pointer follows RFC 6901, escapes and array indexes included")
    func pointer() throws {
        let document = try JSONValue.parse(Array(#"{"a/b": {"m~n": [10, 20]}, "": 1, "x": 1.5}"#.utf8))
        #expect(try JSONPointer("/a~1b/m~0n/1").resolve(in: document) == .integer(20))
        #expect(try JSONPointer("/").resolve(in: document) == .integer(1))
        #expect(try JSONPointer("/x").resolve(in: document) == .number(1.5))
        #expect(try JSONPointer("/a~1b/m~0n/01").resolve(in: document) == nil, "no leading zeros")
        #expect(try JSONPointer("/a~1b/m~0n/5").resolve(in: document) == nil)
        #expect(try JSONPointer("").resolve(in: document) == document)
        #expect(throws: PlanError.self) { try JSONPointer("a") }
        #expect(throws: PlanError.self) { try JSONPointer("/a~2") }
    }

    @Test("backoff grows by the factor up to the cap, with full jitter; defaults are 1 s, ×3, 60 s, 5 retries")
    func backoff() {
        let policy = CallPolicy()
        #expect(policy.retries == 5 && policy.initial == .seconds(1) && policy.factor == 3 && policy.cap == .seconds(60))
        #expect(policy.backoff(retry: 1, unit: 0.999_999) <= .seconds(1))
        #expect(policy.backoff(retry: 2, unit: 0.5) == .milliseconds(1500))
        #expect(policy.backoff(retry: 3, unit: 1) == .seconds(9))
        #expect(policy.backoff(retry: 5, unit: 1) == .seconds(60), "81 s capped at 60 s")
        #expect(policy.backoff(retry: 4, unit: 0) == .zero)
    }

    @Test("an answer's status decides: 2xx done, 408/425/429/5xx again, the rest for good; Retry-After in seconds or a date")
    func verdicts() {
        #expect(CallPolicy.verdict(status: 201) == .success)
        for status in [408, 425, 429, 500, 502, 503, 504] { #expect(CallPolicy.verdict(status: status) == .transient) }
        for status in [301, 400, 401, 403, 404, 409, 422] { #expect(CallPolicy.verdict(status: status) == .permanent) }
        #expect(CallPolicy.retryAfter("7") == .seconds(7))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(CallPolicy.retryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == .seconds(10))
        #expect(CallPolicy.retryAfter("Tue, 14 Nov 2023 22:00:00 GMT", now: now) == .zero)
        #expect(CallPolicy.retryAfter("soon") == nil && CallPolicy.retryAfter(nil) == nil)
    }

    @Test("a plan is cut around its calls; errors keep the plan's own step numbers")
    func stages() throws {
        let plan = ProcessingPlan(name: "p", steps: [
            .rename(columns: ["a": "upc"]),
            .call(CallStep(url: "https://x/{{upc}}", map: ["t": "/t"])),
            .derive(DeriveStep(column: "u", expression: "upper(t)")),
        ])
        let stages = try plan.stages(columns: ["a"])
        #expect(stages.stages.count == 3 && stages.single == nil && stages.calls.first?.number == 2)
        #expect(stages.outputColumns == ["upc", "t", "u"])
        let bad = ProcessingPlan(name: "p", steps: plan.steps + [.derive(DeriveStep(column: "v", expression: "nope + 1"))])
        #expect { _ = try bad.stages(columns: ["a"]) } throws: { ($0 as? PlanError)?.step == 4 }
        let appending = ProcessingPlan(name: "p", steps: plan.steps + [.append(records: [["upc": .integer(1)]])])
        #expect { _ = try appending.stages(columns: ["a"]) } throws: { "\($0)".contains("append cannot be used") }
        #expect(try ProcessingPlan(name: "p", steps: [.trim(columns: nil)]).stages(columns: ["a"]).single != nil)
    }
}
