import APIModels
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

@Suite("Incident fingerprints")
struct FingerprintTests {
    @Test("incident fingerprints ignore ids, numbers and timestamps")
    func fingerprintMasking() {
        let a = Failure.mask("job job-8b33b148-bbaa-4830-b215-28156da5696b failed at 2026-11-22T10:00:01Z after 3 tries")
        let b = Failure.mask("job job-aaaaaaaa-bbbb-4830-b215-000000000000 failed at 2026-11-23T11:12:13.5Z after 7 tries")
        #expect(a == b)
        #expect(Failure.mask("timeout") != Failure.mask("refused"))
    }
}
