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

@Suite("Structural record rules")
struct StructuralRuleTests {
    @Test("without a schema, structural rules report missing and extra cells and blank rows per record")
    func recordRules() {
        let header = ["id", "x"]
        #expect(RecordRules.check(Record(line: 2, values: ["1", "a"]), header: header).isEmpty)
        #expect(RecordRules.check(Record(line: 4, values: ["1"]), header: header).map(\.code) == ["missing-cell"])
        #expect(RecordRules.check(Record(line: 5, values: ["1", "a", "b"]), header: header).map(\.code) == ["extra-cell"])
        #expect(RecordRules.check(Record(line: 6, values: [.null, .null]), header: header).map(\.code) == ["blank-row"])
    }
}
