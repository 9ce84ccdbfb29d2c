import APIModels
import Catalog
import Contracts
import Foundation
import Hosting
import Logging
import Messaging
import Outbound
import Runtime
import Testing

/// The whole pipeline on a throwaway topology: every service built through its real
/// composition root and run in this process (or, for fault tests, as a child process).
final class TestPipeline: @unchecked Sendable {
    static let all = ServiceCatalog.names

    let prefix: String
    let overrides: [String: String]
    private(set) var hosts: [String: ServiceHost] = [:]
    private var tasks: [String: Task<Void, any Error>] = [:]
    private var ports: [String: Int] = [:]
    let publisher: AMQPPublisher

    init(prefix: String = TestEnvironment.uniquePrefix("e"), overrides: [String: String] = [:]) throws {
        self.prefix = prefix
        self.overrides = overrides
        let config = try TestEnvironment.runtimeConfig("ingest", prefix: prefix, overrides: overrides)
        publisher = AMQPPublisher(config: config.amqp, topology: config.topology.all(policies: config.retry),
                                  logger: TestEnvironment.logger)
    }

    static func build(_ name: String, _ config: RuntimeConfig) throws -> ServiceHost {
        guard let descriptor = ServiceCatalog.descriptor(name) else { throw SluiceError.permanent("test.unknown-service", name) }
        return try descriptor.build(config: config, logger: TestEnvironment.logger)
    }

    /// Starts `services` in-process and waits until each has migrated and listens. The
    /// gateway starts last, pointed at the services running here.
    func start(_ services: [String] = TestPipeline.all) async throws {
        if services.contains("gateway") && services.count > 1 {
            try await start(services.filter { $0 != "gateway" })
            return try await start(["gateway"])
        }
        // Publish asks metrics for the calculated-metric definitions: metrics comes first.
        if services.contains("metrics") && services.count > 1 {
            try await start(["metrics"])
            return try await start(services.filter { $0 != "metrics" })
        }
        try await TestEnvironment.createSchemas(prefix: prefix, services: TestPipeline.all)
        // Services that call the incident service (chunk retention) are pointed at the one running here.
        var settings = overrides
        if let port = ports["incident"], settings["retention.incident.url"] == nil {
            settings["retention.incident.url"] = "http://127.0.0.1:\(port)"
        }
        for (service, port) in ports where settings["\(service).url"] == nil {
            settings["\(service).url"] = "http://127.0.0.1:\(port)"
        }
        for name in services {
            let host = try Self.build(name, try TestEnvironment.runtimeConfig(name, prefix: prefix, overrides: settings))
            hosts[name] = host
            tasks[name] = Task { try await host.run() }
        }
        for name in services {
            try await hosts[name]!.waitUntilReady()
            ports[name] = await hosts[name]!.listeningPort()
        }
    }

    /// Gracefully stops one in-process service.
    func stop(_ name: String) async {
        await hosts[name]?.shutdown()
        _ = try? await tasks[name]?.value
        hosts[name] = nil
        tasks[name] = nil
    }

    func stopAll() async {
        for name in hosts.keys { await stop(name) }
        await publisher.close()
        await TestEnvironment.dropSchemas(prefix: prefix, services: TestPipeline.all)
    }

    /// Records the HTTP port of a service run outside this process (a child process).
    func register(_ service: String, port: Int) { ports[service] = port }

    func url(_ service: String, _ path: String) -> String { "http://127.0.0.1:\(ports[service] ?? 0)\(path)" }

    /// Publishes a submission (confirmed), in its priority's lane.
    func submit(_ job: JobSubmit, messageId: String = MessageID.random()) async throws {
        try await submit([job], messageIds: [messageId])
    }

    /// Publishes submissions in one confirmed batch, each in its priority's lane.
    func submit(_ jobs: [JobSubmit], messageIds: [String]? = nil) async throws {
        let topology = SluiceTopology(prefix: prefix, subscriptions: ServiceCatalog.subscriptions)
        let messages = try jobs.enumerated().map { index, job in
            let messageId = messageIds?[index] ?? MessageID.random()
            let envelope = Envelope(id: messageId, jobId: job.jobId, correlationId: job.jobId ?? messageId, causationId: nil,
                                    producer: "test", priority: job.priority, payload: job)
            return try OutgoingMessage.event(envelope, topology: topology)
        }
        try await publisher.publish(messages)
    }

    /// Publishes one message (confirmed), as another service would.
    func publish<P: MessagePayload>(_ envelope: Envelope<P>) async throws {
        let topology = SluiceTopology(prefix: prefix, subscriptions: ServiceCatalog.subscriptions)
        try await publisher.publish([try OutgoingMessage.event(envelope, topology: topology)])
    }

    /// The job's progress from the metrics service.
    func progress(_ jobId: String) async throws -> JobProgress? {
        let result = try await Outbound.get(url: url("metrics", "/jobs/\(jobId)"), timeout: .seconds(30))
        guard result.status == 200 else { return nil }
        return try JSONCoding.decoder().decode(JobProgress.self, from: Data(result.body))
    }

    /// Waits for the job to reach `published` or `failed`. A poll that fails (the metrics
    /// service slow to answer under the full suite's load) is not the job's end: it polls again.
    /// The wait is generous: a job that ends returns at once, and CI machines may be slower.
    func waitForEnd(_ jobId: String, timeout: Duration = .seconds(180)) async throws -> JobProgress {
        var last: JobProgress?
        let ended = try await TestEnvironment.eventually(timeout: timeout, every: .milliseconds(100)) {
            last = (try? await progress(jobId)) ?? last
            return ["published", "failed", "stored", "skipped", "cancelled"].contains(last?.state ?? "")
        }
        // Said apart from the caller's checks, so a slow run reads as slow, not as wrong.
        if !ended { Issue.record("\(jobId) did not end within \(timeout); last progress: \(String(describing: last))") }
        return try #require(last, "no progress for \(jobId)")
    }

    /// An artifact's bytes from the publish service.
    func artifact(_ jobId: String, _ name: String) async throws -> [UInt8] {
        let result = try await Outbound.get(url: url("publish", "/jobs/\(jobId)/artifacts/\(name)"), timeout: .seconds(30))
        #expect(result.status == 200, "artifact \(name) of \(jobId): HTTP \(result.status)")
        return result.body
    }

    /// Sends `body` to a service's API (`POST` by default) and returns status and body.
    func send(_ service: String, _ path: String, _ body: [UInt8], method: String = "POST",
              contentType: String = "application/json") async throws -> HTTPResult {
        try await Outbound.post(url: url(service, path), body: body, contentType: contentType, method: method,
                                timeout: .seconds(60))
    }

    /// JSON from a service's API.
    func getJSON<T: Decodable>(_ type: T.Type, _ service: String, _ path: String) async throws -> T {
        let result = try await Outbound.get(url: url(service, path), timeout: .seconds(30))
        guard result.status == 200 else {
            throw SluiceError.permanent("test.http", "GET \(path) on \(service): \(result.status) \(String(decoding: result.body, as: UTF8.self))")
        }
        do {
            return try JSONCoding.decoder().decode(T.self, from: Data(result.body))
        } catch {
            throw SluiceError.permanent("test.decode", "GET \(path): \(error) in \(String(decoding: result.body.prefix(800), as: UTF8.self))")
        }
    }

    /// Sends `value` as JSON and decodes the answer (any 2xx), for the operator APIs.
    func call<T: Decodable>(_ type: T.Type, _ service: String, _ path: String, _ value: some Encodable,
                            method: String = "POST", actor: String = "tester") async throws -> T {
        let result = try await Outbound.post(url: url(service, path), body: try JSONCoding.encode(value), method: method,
                                             headers: ["X-Sluice-Actor": actor], timeout: .seconds(60))
        guard (200..<300).contains(result.status) else {
            throw SluiceError.permanent("test.http", "\(method) \(path) on \(service): \(result.status) \(String(decoding: result.body, as: UTF8.self))")
        }
        do {
            return try JSONCoding.decoder().decode(T.self, from: Data(result.body))
        } catch {
            throw SluiceError.permanent("test.decode", "\(method) \(path): \(error) in \(String(decoding: result.body.prefix(500), as: UTF8.self))")
        }
    }
}
