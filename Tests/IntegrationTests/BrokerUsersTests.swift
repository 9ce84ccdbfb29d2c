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
}
