import Foundation
@testable import TestSupport
import Testing

/// The broker users infra/local makes (broker-users.sh), tried with pika, another language's
/// AMQP client: the producer user may publish job.submit and nothing else, and a service's
/// user may publish only its own message types and consume only its own queue.
@Suite("Broker users (real RabbitMQ)")
struct BrokerUsersTests {
    static func probe(user: String, allowed: String, denied: String) throws -> [String: Any] {
        let script = try String(contentsOf: TestEnvironment.packageRoot
            .appendingPathComponent("Tests/IntegrationTests/Scripts/broker_probe.py"), encoding: .utf8)
        let userURL = "amqp://\(user):\(user)@\(TestEnvironment.amqp.host):\(TestEnvironment.amqp.port)/sluice"
        let run = try Python.run(script, [TestEnvironment.amqpURL, userURL, allowed, denied])
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
    }

    @Test("the producer user publishes job.submit and nothing else")
    func producer() throws {
        let outcome = try Self.probe(user: "producer", allowed: "job.submit", denied: "job.published")
        #expect(outcome["publish job.submit"] as? String == "ok")
        #expect(outcome["received"] as? Bool == true, "the job.submit arrived")
        #expect(outcome["publish job.published"] as? String == "refused 403", "another message type")
        #expect(outcome["publish to sluice.dlx"] as? String == "refused 403", "another exchange")
        #expect(outcome["declare a queue"] as? String == "refused 403")
        #expect(outcome["consume another's queue"] as? String == "refused 403")
    }

    @Test("a service's user publishes its own message types only and consumes only its own queue")
    func serviceUser() throws {
        let outcome = try Self.probe(user: "sluice_notify", allowed: "redrive.succeeded", denied: "job.submit")
        #expect(outcome["publish redrive.succeeded"] as? String == "ok")
        #expect(outcome["publish job.submit"] as? String == "refused 403", "notify may not submit jobs")
        #expect(outcome["consume another's queue"] as? String == "refused 403")
        #expect(outcome["publish to sluice.dlx"] as? String == "ok", "its dead letters")
    }

    @Test("priority lanes: a user may publish its types' urgent and low routing keys, and no one else's")
    func laneKeys() throws {
        let producer = try Self.probe(user: "producer", allowed: "job.submit.urgent", denied: "job.published.urgent")
        #expect(producer["publish job.submit.urgent"] as? String == "ok")
        #expect(producer["received"] as? Bool == true)
        #expect(producer["publish job.published.urgent"] as? String == "refused 403")
        // A service's lane keys are checked against its topic permission as RabbitMQ reads it
        // (publishing junk into a real stage queue would leave an incident behind).
        let check = try Python.run("""
            import json, re, sys, urllib.request
            from urllib.parse import urlsplit
            url = urlsplit(sys.argv[1])
            request = urllib.request.Request(f"http://{url.hostname}:{url.port}/api/topic-permissions/sluice/sluice_ingest")
            request.add_header("Authorization", "Basic " + __import__("base64").b64encode(f"{url.username}:{url.password}".encode()).decode())
            pattern = json.load(urllib.request.urlopen(request))[0]["write"]
            print(json.dumps({key: re.search(pattern, key) is not None for key in sys.argv[2:]}))
            """, [TestEnvironment.managementURL, "chunk.ingested.low", "chunk.ingested.urgent", "chunk.ingested",
                  "chunk.validated.low", "chunk.ingested.high"])
        #expect(check.status == 0, "\(check.stderr)")
        let allowed = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Bool]
        #expect(allowed == ["chunk.ingested.low": true, "chunk.ingested.urgent": true, "chunk.ingested": true,
                            "chunk.validated.low": false, "chunk.ingested.high": false], "validate's work is not ingest's")
    }
}
