import Catalog
@testable import Consuming
import Contracts
import Foundation
@testable import Hosting
@testable import IncidentService
@testable import IngestService
import Messaging
import PostgresNIO
@testable import Runtime
import Tabular
import Testing
@testable import TransformService
@testable import ValidateService

@Suite("Retry policies")
struct RetryPolicyTests {
    @Test("retry delays grow by the multiplier up to the cap; jitter only shortens")
    func retryPolicy() {
        let policy = RetryPolicy(initialDelay: .seconds(1), multiplier: 4, maxDelay: .seconds(30), jitter: 0.2, maxAttempts: 5)
        #expect((1...4).map(policy.delayMilliseconds(afterAttempt:)) == [1000, 4000, 16000, 30000])
        #expect(policy.delayLevels == [1000, 4000, 16000, 30000])
        for _ in 0..<200 {
            let jittered = policy.jitteredMilliseconds(afterAttempt: 2)
            #expect((3200...4000).contains(jittered))
        }
        #expect(RetryPolicy(maxAttempts: 1).delayLevels.isEmpty)
    }
}
