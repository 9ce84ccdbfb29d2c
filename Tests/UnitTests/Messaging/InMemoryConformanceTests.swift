import Conformance
import Logging
import Messaging
import Testing

/// The same contract on the in-memory broker, so unit tests built on it are honest.
@Suite("Transport conformance: in-memory")
struct InMemoryConformanceTests {
    @Test("in-memory transport keeps the contract", arguments: TransportConformance.allCases)
    func conforms(_ contract: TransportConformance) async throws {
        try await contract.run(on: InMemoryBroker(), prefix: "mem", logger: Logger(label: "test"))
    }
}
