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

@Suite("Standard clean-up")
struct StandardCleanupTests {
    @Test("the standard clean-up trims text and turns numbers into numbers")
    func standardCleanup() {
        let out = StandardCleanup.apply(Record(line: 1, values: [" a ", " 42 ", "3.50", "007", "true"]))
        #expect(out.values == [.string("a"), .integer(42), .number(3.5), .string("007"), .string("true")])
    }
}
