import Aggregation
import Contracts
import Foundation
import Tabular
@testable import TestSupport
import Testing

/// `docs/asyncapi.json` against the Swift message types: every type has its channel, and
/// every schema lists exactly the fields the Swift type encodes (all of them in
/// `properties`, the non-optional ones in `required`), so the two cannot drift.
@Suite("Contract document")
struct ContractDocumentTests {
    nonisolated(unsafe) static let document: [String: Any] = {
        let url = TestEnvironment.packageRoot.appendingPathComponent("docs/asyncapi.json")
        let data = (try? Data(contentsOf: url)) ?? Data()
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }()

    static var schemas: [String: Any] {
        ((document["components"] as? [String: Any])?["schemas"] as? [String: Any]) ?? [:]
    }

    @Test("there is one channel per message type, named by its routing key")
    func channels() throws {
        let channels = try #require(Self.document["channels"] as? [String: Any])
        #expect(Set(channels.keys) == Set(MessageType.allCases.map(\.rawValue)))
        #expect((Self.document["asyncapi"] as? String)?.hasPrefix("2.") == true)
    }

    @Test("every payload schema matches its Swift type", arguments: ContractSamples.all)
    func payload(_ sample: ContractSamples.Sample) throws {
        let schemaName = "Envelope\(sample.name)"
        let envelopeSchema = try #require(Self.schemas[schemaName] as? [String: Any], "no schema \(schemaName)")
        try Self.check(sample.full, against: envelopeSchema, path: schemaName, mode: .properties)
        try Self.check(sample.minimal, against: envelopeSchema, path: schemaName, mode: .required)
        let properties = envelopeSchema["properties"] as? [String: Any]
        let type = (properties?["type"] as? [String: Any])?["const"] as? String
        #expect(type == sample.type.rawValue)
    }

    enum Mode { case properties, required }

    /// The JSON Schema type name of a decoded JSON value.
    static func jsonType(of value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let number as NSNumber:
            // swift-corelibs-foundation hands booleans back as its private boolean NSNumber subclass.
            if String(describing: type(of: number)).contains("Boolean") { return "boolean" }
            return value is Int ? "integer" : "number"
        case is String: return "string"
        case is [Any]: return "array"
        case is [String: Any]: return "object"
        default: return "unknown"
        }
    }

    /// Walks an encoded sample alongside its schema, resolving `$ref`s.
    static func check(_ value: Any, against schema: [String: Any], path: String, mode: Mode) throws {
        var schema = schema
        if let ref = schema["$ref"] as? String {
            let name = String(ref.split(separator: "/").last ?? "")
            schema = try #require(schemas[name] as? [String: Any], "\(path): unresolved \(ref)")
        }
        if mode == .properties, let declared = schema["type"] {
            let allowed = (declared as? [String]) ?? [(declared as? String) ?? ""]
            #expect(allowed.contains(jsonType(of: value)) || (allowed.contains("number") && jsonType(of: value) == "integer"),
                    "\(path): the Swift type encodes \(jsonType(of: value)), the schema says \(allowed)")
        }
        if let allowed = schema["enum"] as? [String], let text = value as? String {
            #expect(allowed.contains(text), "\(path): '\(text)' is not among the schema's values \(allowed)")
        }
        if let object = value as? [String: Any], let properties = schema["properties"] as? [String: Any] {
            let keys = Set(object.keys)
            switch mode {
            case .properties:
                #expect(Set(properties.keys) == keys, "\(path): schema properties differ from the Swift fields")
            case .required:
                #expect(Set(schema["required"] as? [String] ?? []) == keys,
                        "\(path): 'required' differs from the Swift type's non-optional fields")
            }
            for (key, child) in object {
                guard let childSchema = properties[key] as? [String: Any] else { continue }
                try check(child, against: childSchema, path: "\(path).\(key)", mode: mode)
            }
        } else if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, element) in array.enumerated() { try check(element, against: items, path: "\(path)[\(i)]", mode: mode) }
        }
    }
}

/// Fully populated and minimal instances of every message, encoded as the wire does.
enum ContractSamples {
    struct Sample: Sendable, CustomTestStringConvertible {
        var name: String
        var type: MessageType
        var fullJSON: Data
        var minimalJSON: Data
        var testDescription: String { name }
        var full: [String: Any] { (try? JSONSerialization.jsonObject(with: fullJSON)) as? [String: Any] ?? [:] }
        var minimal: [String: Any] { (try? JSONSerialization.jsonObject(with: minimalJSON)) as? [String: Any] ?? [:] }
    }

    static func encode<P: MessagePayload>(_ payload: P, full: Bool) -> Data {
        let envelope = Envelope(id: "id", jobId: full ? "job" : nil, correlationId: "c", causationId: full ? "cause" : nil,
                                producer: "p", priority: full ? .urgent : nil, project: full ? "school" : nil, payload: payload)
        return try! JSONCoding.encoder().encode(envelope)
    }

    static func sample<P: MessagePayload>(_ name: String, _ full: P, _ minimal: P) -> Sample {
        Sample(name: name, type: P.messageType, fullJSON: encode(full, full: true), minimalJSON: encode(minimal, full: false))
    }

    static let schema = TableSchema(fields: [.init(name: "a", type: "string", constraints: .init(required: true))],
                                    missingValues: ["", "NA"])
    static let plan = ProcessingPlan(name: "p", version: 2, description: "d", steps: [.note(text: "check by hand")])
    static let options = JobOptions(stages: .all, dryRun: true, outputs: [.csv, .report],
                                    invalidRows: InvalidRowPolicy(action: .fail, maxInvalidShare: 0.1),
                                    aggregates: [AggregateSpec(title: "t", groupBy: ["a"],
                                                               metrics: [MetricSpec(name: "m", fn: .rate, column: "a", equals: "x")])],
                                    standardize: Standardize(snakeCase: true, missingValues: ["NA"], trimCells: true),
                                    sheet: "s", encoding: "auto", textColumn: "code", datasetKey: "d", force: true,
                                    runDate: "2026-12-05")
    static let job = JobContext(jobId: "j", name: "n", tags: ["k": "v"], schema: schema, schemaName: "s@1", plan: plan,
                                planName: "p@2", notify: NotifySpec(webhooks: ["http://x"], chat: ["http://c"], emails: ["a@b.c"]), options: options,
                                submittedAt: Date(timeIntervalSince1970: 1_800_000_000), warnings: ["w"], priority: .low,
                                itemRate: ItemRate(perMinute: 60, burst: 10))
    static let minimalJob = JobContext(jobId: "j", name: "n", tags: [:])
    static let record = Record(line: 2, values: [.string("x"), .integer(1), .number(1.5), .bool(true), .null],
                               keys: ["f", nil], dedupe: "d")
    static let keys = [UniqueKey(fields: ["a"], kind: "primary-key")]
    static let ref = ChunkRef(key: "jobs/j/ingested/000000.arrows", sha256: String(repeating: "0", count: 64), bytes: 1, rows: 1,
                              inline: "AA==")
    static let storedRef = ChunkRef(key: "jobs/j/ingested/000000.arrows", sha256: String(repeating: "0", count: 64),
                                    bytes: 1, rows: 1)
    static let errorsRef = ChunkRef(key: "jobs/j/validated-errors/000000.arrows", sha256: String(repeating: "1", count: 64),
                                    bytes: 1, rows: 1, inline: "AQ==")

    static let all: [Sample] = [
        sample("JobSubmit",
               JobSubmit(jobId: "j", idempotencyKey: "k", name: "n",
                         source: .init(kind: .path, content: "c", path: "p", uploadId: "u", url: "http://x", jobId: "j0"),
                         format: "csv", chunkSize: 10, tags: ["k": "v"], schema: schema, schemaName: "s", plan: plan,
                         planName: "p", notify: NotifySpec(webhooks: ["http://x"], chat: ["http://c"], emails: ["a@b.c"]), options: options, project: "school",
                         submittedBy: "ann", priority: .urgent, batch: "bat-1"),
               JobSubmit(source: .init(kind: .inline), format: nil)),
        sample("JobIngested", JobIngested(job: job, chunkCount: 1, rowCount: 2, columns: ["a"],
                                          source: SourceInfo(format: "csv", encoding: "utf-8", bytes: 3, sha256: "h")),
               JobIngested(job: minimalJob, chunkCount: 0, rowCount: 0, columns: [])),
        sample("ChunkIngested", ChunkIngested(job: job, chunkIndex: 0, columns: ["a"], data: ref),
               ChunkIngested(job: minimalJob, chunkIndex: 0, columns: [], data: storedRef)),
        sample("ChunkValidated", ChunkValidated(job: job, chunkIndex: 0, columns: ["a"], data: ref,
                                                invalidCount: 1, errors: errorsRef, uniqueKeys: keys, keys: ref, schemaRef: "s@1"),
               ChunkValidated(job: minimalJob, chunkIndex: 0, columns: [], data: storedRef, invalidCount: 0, errors: nil)),
        sample("ChunkTransformed", ChunkTransformed(job: job, chunkIndex: 0, columns: ["a"], data: ref,
                                                    invalidCount: 1, errors: [errorsRef], uniqueKeys: keys, keys: ref, appended: [record],
                                                    filteredCount: 2, notes: ["n"], schemaRef: "s@1", planRef: "p@2",
                                                    validatedAt: Date(timeIntervalSince1970: 1_800_000_000),
                                                    calls: CallTally(items: 3, succeeded: 2, failed: 1, retries: 4, reused: 1,
                                                                     totalMillis: 30, maxMillis: 20,
                                                                     wouldCall: [CallPreview(line: 2, step: 1, method: "POST", url: "https://x/1",
                                                                                             headers: ["Idempotency-Key": "k"], body: "{}")]),
                                                    lookups: ["planning@2"]),
               ChunkTransformed(job: minimalJob, chunkIndex: 0, columns: [], data: storedRef, invalidCount: 0, errors: [])),
        sample("JobPublished", JobPublished(job: job, artifacts: [ArtifactRef(name: "a", contentType: "t", bytes: 1, sha256: "s")],
                                            rowsTotal: 1, rowsValid: 1, rowsInvalid: 0, requestId: "job-r"),
               JobPublished(job: minimalJob, artifacts: [], rowsTotal: 0, rowsValid: 0, rowsInvalid: 0)),
        sample("JobFailed", JobFailed(job: job, stage: "validate", code: "c", reason: "r"),
               JobFailed(job: minimalJob, stage: "validate", code: "c", reason: "r")),
        sample("JobSkipped", JobSkipped(job: job, datasetKey: "d", sha256: "h", previousJobId: "j0"),
               JobSkipped(job: minimalJob, datasetKey: "d", sha256: "h", previousJobId: "j0")),
        sample("JobRepublish", JobRepublish(jobId: "j", requestId: "r"), JobRepublish(jobId: "j", requestId: "r")),
        sample("IncidentOpened", IncidentOpened(incidentId: "i", fingerprint: "f", title: "t", service: "s",
                                                messageType: "m", errorType: "e"),
               IncidentOpened(incidentId: "i", fingerprint: "f", title: "t", service: "s", messageType: nil, errorType: "e")),
        sample("IncidentUpdated", IncidentUpdated(incidentId: "i", change: "assigned", state: "in_progress", count: 2,
                                                  severity: "high", actor: "a"),
               IncidentUpdated(incidentId: "i", change: "state", state: "open", count: 1, severity: "medium", actor: "system")),
        sample("IncidentResolved", IncidentResolved(incidentId: "i", title: "t", count: 3, automatic: true, actor: "system",
                                                    rootCause: "r"),
               IncidentResolved(incidentId: "i", title: "t", count: 1, automatic: false, actor: "a", rootCause: nil)),
        sample("IncidentAlert", IncidentAlert(incidentId: "i", reason: "threshold", title: "t", severity: "high", service: "s",
                                              messageType: "m", errorType: "e", sampleError: "x", count: 10, threshold: 10,
                                              runbook: "docs/failures.md#webhooks"),
               IncidentAlert(incidentId: "i", reason: "opened", title: "t", severity: "medium", service: "s", messageType: nil,
                             errorType: "e", sampleError: "x", count: 1, threshold: nil, runbook: nil)),
        sample("JobStalled", JobStalled(jobId: "j", stage: "transform", incidentId: "i", deadLetterId: "d", code: "c", reason: "r"),
               JobStalled(jobId: "j", stage: "transform", incidentId: "i", deadLetterId: "d", code: "c", reason: "r")),
        sample("RedriveSucceeded", RedriveSucceeded(redriveId: "r", deadLetterId: "d", service: "s"),
               RedriveSucceeded(redriveId: "r", deadLetterId: "d", service: "s")),
        sample("MailRequested", MailRequested(to: ["a@b.c"], template: "verification-code", variables: ["code": "1"], subject: "u"),
               MailRequested(to: [], template: "t", variables: [:], subject: "u")),
        sample("JobControl", JobControl(action: .pause, scope: .job, target: "j", requestedBy: "ann", note: "n", sequence: 7),
               JobControl(action: .cancel, scope: .batch, target: "bat-1")),
        sample("JobStatusChanged", JobStatusChanged(jobId: "j", state: .retried, service: "validate", reason: "r",
                                                    notBefore: Date(timeIntervalSince1970: 1_800_000_000), attempt: 2,
                                                    kind: "items_failed"),
               JobStatusChanged(jobId: "j", state: .dispatched, service: "ingest")),
        sample("BatchFinished", BatchFinished(batchId: "b", name: "n", project: "p", state: "failed", jobs: 3, completed: 2, failed: 1,
                                              cancelled: 0, successRate: 0.5, rowsValid: 4, rowsInvalid: 1,
                                              createdAt: Date(timeIntervalSince1970: 1_800_000_000),
                                              finishedAt: Date(timeIntervalSince1970: 1_800_000_100),
                                              notify: NotifySpec(webhooks: ["http://x"], chat: ["http://c"], emails: ["a@b.c"])),
               BatchFinished(batchId: "b", name: "n", project: "p", state: "completed", jobs: 0, completed: 0, failed: 0,
                             cancelled: 0, successRate: 1, rowsValid: 0, rowsInvalid: 0,
                             createdAt: Date(timeIntervalSince1970: 1_800_000_000),
                             finishedAt: Date(timeIntervalSince1970: 1_800_000_000), notify: nil)),
        sample("ScheduleOverdue", ScheduleOverdue(scheduleId: "s", name: "n", project: "p", cron: "0 2 * * *", zone: "UTC",
                                                  lastFiredAt: Date(timeIntervalSince1970: 1_800_000_000),
                                                  missedFires: [Date(timeIntervalSince1970: 1_800_086_400)], reason: "r"),
               ScheduleOverdue(scheduleId: "s", name: "n", project: nil, cron: "0 2 * * *", zone: "UTC", lastFiredAt: nil,
                               missedFires: [], reason: "r")),
        sample("CleanupRequested", CleanupRequested(requestedBy: "schedule:c"), CleanupRequested(requestedBy: "schedule:c")),
        sample("RerunRequested", RerunRequested(project: "p", tags: ["k": "v"], stages: .publishOnly, requestedBy: "schedule:r",
                                                catalog: true, runDate: "2026-12-06"),
               RerunRequested(project: nil, tags: [:], stages: nil, requestedBy: "schedule:r")),
        sample("DigestRequested", DigestRequested(title: "t", project: "p", periodStart: Date(timeIntervalSince1970: 1_800_000_000),
                                                  periodEnd: Date(timeIntervalSince1970: 1_800_086_400), emails: ["a@b.c"],
                                                  chat: ["http://c"]),
               DigestRequested(title: "t", project: nil, periodStart: Date(timeIntervalSince1970: 1_800_000_000),
                               periodEnd: Date(timeIntervalSince1970: 1_800_086_400), emails: [], chat: [])),
        sample("DigestReady", DigestReady(subject: "s", text: "t", emails: ["a@b.c"], chat: ["http://c"]),
               DigestReady(subject: "s", text: "t", emails: [], chat: [])),
        sample("MetricPartialsReady", MetricPartialsReady(
            jobId: "j", project: "p", tags: ["k": "v"], datasetKey: "d", publishedAt: Date(timeIntervalSince1970: 1_800_000_000),
            partials: [MetricPartials(metric: "m", version: 1, groups: [.init(key: ["a", nil], state: PartialAggregate())],
                                      problem: "x")]),
               MetricPartialsReady(jobId: "j", project: nil, tags: [:], datasetKey: nil,
                                   publishedAt: Date(timeIntervalSince1970: 1_800_000_000), partials: [])),
        sample("MetricsCompute", MetricsCompute(names: ["m"], before: Date(timeIntervalSince1970: 1_800_000_000), requestedBy: "s"),
               MetricsCompute(names: nil, before: Date(timeIntervalSince1970: 1_800_000_000), requestedBy: "s")),
        sample("MetricFailed", MetricFailed(metric: "m", version: 1, periodStart: Date(timeIntervalSince1970: 1_800_000_000),
                                            periodEnd: Date(timeIntervalSince1970: 1_800_086_400), outcome: "failed", reason: "r"),
               MetricFailed(metric: "m", version: 1, periodStart: Date(timeIntervalSince1970: 1_800_000_000),
                            periodEnd: Date(timeIntervalSince1970: 1_800_086_400), outcome: "failed", reason: "r")),
    ]
}
