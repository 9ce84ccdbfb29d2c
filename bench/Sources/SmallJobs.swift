import ArgumentParser
import Contracts
import Foundation
import Logging
import Messaging
import Runtime

/// `sluice-bench small-jobs`: many small jobs through the whole pipeline (services already
/// running under `sluice dev`), with publisher confirms everywhere. Publishes `--jobs`
/// `job.submit` messages of a few rows at once (one confirmed batch) and times until every
/// `job.published` arrived on a queue of its own; then submits one job at a time `--repeat`
/// times and times each from its publish to its `job.published`. Prints one JSON line.
struct SmallJobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "small-jobs")

    @Option(help: "Jobs submitted at once.") var jobs = 2000
    @Option(help: "Single jobs timed one after another.") var `repeat` = 200
    @Option(help: "The broker (a user that may publish job.submit and bind a queue).")
    var amqp = "amqp://sluice:sluice@127.0.0.1:5673/sluice"
    @Option(help: "The topology prefix of the running services.") var prefix = "sluice"
    @Option(help: "Seconds to wait for the batch.") var timeout = 600

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let config = try AMQPConfig(url: amqp)
        let topology = SluiceTopology(prefix: prefix)
        let tap = "\(prefix).bench-tap-\(UUID().uuidString.prefix(8))"
        let declared = Topology(exchanges: [.init(name: topology.eventsExchange, type: "topic")],
                                queues: [.init(name: tap, arguments: ["x-expires": .int(600_000)])],
                                bindings: [.init(queue: tap, exchange: topology.eventsExchange, routingKey: "job.published"),
                                           .init(queue: tap, exchange: topology.eventsExchange, routingKey: "job.failed")])
        let publisher = AMQPPublisher(config: config, topology: declared, logger: logger)
        let consumer = AMQPConsumer(config: config, topology: declared, prefetch: 1000, logger: logger)
        try await consumer.consume(queues: [tap])
        let arrivals = ArrivalBoard()
        let listen = Task {
            for await batch in consumer.deliveries {
                let now = ContinuousClock.now
                for delivery in batch {
                    if let job = delivery.properties.headers["x-sluice-job-id"]?.stringValue {
                        arrivals.arrived(job, at: now, failed: delivery.routingKey == "job.failed")
                    }
                }
                consumer.ack(batch)
            }
        }
        let run = UUID().uuidString.prefix(8).lowercased()
        // Warm-up: every service has its connections and statements ready.
        try await submit(["warm-\(run)"], publisher: publisher, topology: topology)
        _ = await arrivals.wait(for: ["warm-\(run)"], timeout: .seconds(60))

        let batch = (0..<jobs).map { "small-\(run)-\($0)" }
        let started = ContinuousClock.now
        try await submit(batch, publisher: publisher, topology: topology)
        let published = ContinuousClock.now
        let finished = await arrivals.wait(for: batch, timeout: .seconds(timeout))
        let elapsed = (finished ?? ContinuousClock.now) - started

        var latencies: [Double] = []
        for index in 0..<`repeat` {
            let id = "one-\(run)-\(index)"
            let sent = ContinuousClock.now
            try await submit([id], publisher: publisher, topology: topology)
            guard let arrived = await arrivals.wait(for: [id], timeout: .seconds(60)) else { continue }
            latencies.append(Self.milliseconds(arrived - sent))
        }
        listen.cancel()
        await consumer.close()
        await publisher.close()
        latencies.sort()
        let result: [String: Any] = [
            "jobs": jobs, "seconds": Self.milliseconds(elapsed) / 1000, "completed": finished != nil,
            "jobsPerSecond": Double(jobs) / (Self.milliseconds(elapsed) / 1000),
            "publishSeconds": Self.milliseconds(published - started) / 1000, "failed": arrivals.failures,
            "single": ["count": latencies.count, "p50": Self.percentile(latencies, 0.5), "p99": Self.percentile(latencies, 0.99),
                       "min": latencies.first ?? 0, "max": latencies.last ?? 0],
        ]
        print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
    }

    /// Jobs of three rows, inline, default outputs: ingest, validate, transform, publish.
    private func submit(_ ids: [String], publisher: AMQPPublisher, topology: SluiceTopology) async throws {
        let messages = try ids.map { id in
            let envelope = Envelope(id: "bench/\(id)", jobId: id, correlationId: id, causationId: nil, producer: "sluice-bench",
                                    payload: JobSubmit(jobId: id, idempotencyKey: id, name: id,
                                                       source: .inline("student,grade\nann,7\nbob,9\ncy,5\n"), format: "csv"))
            return try OutgoingMessage.event(envelope, topology: topology)
        }
        try await publisher.publish(messages)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }
}

/// When each job's end arrived, and waiting for a set of them.
final class ArrivalBoard: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String: ContinuousClock.Instant] = [:]
    private(set) var failures = 0

    func arrived(_ job: String, at time: ContinuousClock.Instant, failed: Bool) {
        lock.withLock {
            if seen[job] == nil { seen[job] = time }
            if failed { failures += 1 }
        }
    }

    /// The time the last of `jobs` arrived, or nil after `timeout`.
    func wait(for jobs: [String], timeout: Duration) async -> ContinuousClock.Instant? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let last: ContinuousClock.Instant? = lock.withLock {
                var last: ContinuousClock.Instant?
                for job in jobs {
                    guard let time = seen[job] else { return nil }
                    last = max(last ?? time, time)
                }
                return last
            }
            if let last { return last }
            try? await Task.sleep(for: .milliseconds(jobs.count == 1 ? 1 : 20))
        }
        return nil
    }
}
