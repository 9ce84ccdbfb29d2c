import Conformance
import Foundation
import Logging
import Messaging
@testable import TestSupport
import Testing

/// The transport contract on RabbitMQ: every case of ``TransportConformance``.
@Suite("Transport conformance: AMQP (real RabbitMQ)")
struct AMQPConformanceTests {
    @Test("AMQP transport keeps the contract", arguments: TransportConformance.allCases)
    func conforms(_ contract: TransportConformance) async throws {
        try await contract.run(on: AMQPTransport(config: TestEnvironment.amqp), prefix: TestEnvironment.uniquePrefix("c"),
                               logger: TestEnvironment.logger)
    }
}
