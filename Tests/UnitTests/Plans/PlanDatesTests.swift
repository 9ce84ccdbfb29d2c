import Contracts
import Foundation
@testable import Plans
import Tabular
import Testing

/// `today()` and `run_date()`: fixed per job (the transform sets them around each chunk), so a
/// plan can count what is due by the day a job runs for, the same in every chunk and retry.
@Suite("Plan dates")
struct PlanDatesTests {
    let columns = ["course", "due"]

    func value(_ text: String, _ row: [CellValue]) throws -> CellValue {
        try PlanExpression(text).bind(columns: columns).evaluate(row)
    }

    @Test("run_date() is the job's run date, today() the day it was submitted; date arithmetic works on them")
    func jobDates() throws {
        let dates = PlanDates(submittedAt: ISO8601DateFormatter().date(from: "2026-12-06T23:30:00Z"), runDate: "2026-12-01")
        try PlanDates.$current.withValue(dates) { () throws in
            #expect(try value("today()", []) == .string("2026-12-06"))
            #expect(try value("run_date()", []) == .string("2026-12-01"))
            #expect(try value("date_diff('days', due, run_date())", ["Algebra", .string("2026-11-24")]) == .integer(7))
            #expect(try value("due <= run_date()", ["Algebra", .string("2026-11-24")]) == .bool(true))
            #expect(try value("due <= run_date()", ["Algebra", .string("2026-12-02")]) == .bool(false))
            #expect(try value("if(due <= today(), 'due', 'later')", ["Algebra", .string("2026-12-05")]) == .string("due"))
        }
    }

    @Test("without a run date, run_date() is today(); outside a job both are the current UTC day")
    func defaults() throws {
        let submitted = ISO8601DateFormatter().date(from: "2026-03-01T00:00:00Z")
        try PlanDates.$current.withValue(PlanDates(submittedAt: submitted, runDate: nil)) { () throws in
            #expect(try value("run_date()", []) == .string("2026-03-01"))
        }
        #expect(try value("today()", []) == .string(PlanDates.day(Date())))
    }

    @Test("they take no arguments")
    func arity() {
        #expect(throws: PlanError.self) { try PlanExpression("today(1)") }
        #expect(throws: PlanError.self) { try PlanExpression("run_date('x')") }
    }
}
