import Foundation
import Testing
@testable import SchedulerService

/// One expected sequence of fire times computed by croniter (`Fixtures/cron_oracle.json`,
/// written by `Fixtures/cron_oracle.py`).
struct CronOracleCase: Sendable, Decodable, CustomTestStringConvertible {
    /// `fixed` (the hand-picked list) or `generated`.
    let kind: String
    let zone: String
    let expression: String
    let start: String
    let expected: [String]

    var testDescription: String { "\(expression) from \(start) in \(zone)" }

    /// Every case of the fixture: fixed expressions from fixed UTC instants, and at least
    /// 500 generated expressions in eight zones, away from daylight-saving changes.
    static let all: [CronOracleCase] = {
        struct File: Decodable { let cases: [CronOracleCase] }
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("cron_oracle.json")
        return (try? JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases) ?? []
    }()
}

@Suite("CronExpression matches croniter")
struct CronExpressionOracleTests {
    @Test("the fixture holds at least 500 generated expressions across at least 6 zones")
    func coverage() {
        let generated = CronOracleCase.all.filter { $0.kind == "generated" }
        #expect(Set(generated.map(\.expression)).count >= 500)
        #expect(Set(generated.map(\.zone)).count >= 6)
    }

    @Test(arguments: CronOracleCase.all)
    func nextFireTimesMatchCroniter(_ oracle: CronOracleCase) throws {
        let expression = try CronExpression(oracle.expression)
        let zone = try #require(TimeZone(identifier: oracle.zone))
        var cursor = try Date(oracle.start, strategy: .iso8601)
        var actual: [String] = []
        for _ in oracle.expected {
            guard let fire = expression.next(after: cursor, in: zone) else { break }
            actual.append(fire.formatted(.iso8601))
            cursor = fire
        }
        #expect(actual == oracle.expected)
    }
}
