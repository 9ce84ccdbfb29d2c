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

@Suite("Trace context")
struct TraceParentTests {
    @Test("trace context: children keep the trace id and get a new span")
    func traceParent() {
        let root = TraceParent.new()
        #expect(TraceParent.isValid(root))
        let child = TraceParent.child(of: root)
        #expect(child.split(separator: "-")[1] == root.split(separator: "-")[1])
        #expect(child != root)
        #expect(TraceParent.isValid(TraceParent.child(of: "garbage")))
    }
}
