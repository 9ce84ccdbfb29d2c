import Foundation
import Testing
@testable import SchedulerService

/// A UTC instant from ISO 8601 text, for readable expectations.
private func utc(_ text: String) throws -> Date {
    try Date(text, strategy: .iso8601)
}

/// The next `count` fire times after `start`, as ISO 8601 UTC strings.
private func fires(_ expression: String, after start: String, count: Int = 3,
                   in zone: String = "UTC") throws -> [String] {
    let cron = try CronExpression(expression)
    let timeZone = try #require(TimeZone(identifier: zone))
    var cursor = try utc(start)
    var result: [String] = []
    for _ in 0..<count {
        guard let fire = cron.next(after: cursor, in: timeZone) else { break }
        result.append(fire.formatted(.iso8601))
        cursor = fire
    }
    return result
}

/// The error thrown when parsing `expression`, if any.
private func parseError(_ expression: String) -> CronError? {
    do {
        _ = try CronExpression(expression)
        return nil
    } catch {
        return error
    }
}

@Suite("CronExpression")
struct CronExpressionTests {
    @Test(arguments: [
        ("* * * *", "cron.field-count"), ("0 0 0 * * *", "cron.field-count"), ("", "cron.field-count"),
        ("60 * * * *", "cron.out-of-range"), ("0 24 * * *", "cron.out-of-range"),
        ("0 0 0 * *", "cron.out-of-range"), ("0 0 32 * *", "cron.out-of-range"),
        ("0 0 * 13 *", "cron.out-of-range"), ("0 0 * 0 *", "cron.out-of-range"),
        ("0 0 * * 8", "cron.out-of-range"), ("1-60 * * * *", "cron.out-of-range"),
        ("*/0 * * * *", "cron.syntax"), ("1- * * * *", "cron.syntax"), ("-5 * * * *", "cron.syntax"),
        ("MON * * * *", "cron.syntax"), ("1,,2 * * * *", "cron.syntax"), ("5-1 * * * *", "cron.syntax"),
        ("1/2/3 * * * *", "cron.syntax"), ("0 0 L * *", "cron.syntax"), ("0 0 ? * *", "cron.syntax"),
        ("0 0 * FOO *", "cron.syntax"), ("0 0 * * MON-", "cron.syntax"), ("*/x * * * *", "cron.syntax"),
        ("@reboot", "cron.unsupported-macro"), ("@every5m", "cron.unsupported-macro"),
    ])
    func invalidExpressionsAreRejectedWithStableCodes(expression: String, code: String) {
        #expect(parseError(expression)?.code == code)
    }

    @Test func messagesNameTheFieldAndValue() throws {
        let range = try #require(parseError("0 25 * * *"))
        #expect(range == .outOfRange(field: "hour", value: 25, allowed: 0...23))
        #expect(range.message == "The hour value 25 is out of range; use 0-23.")

        let syntax = try #require(parseError("0 0 * * MON-XYZ"))
        #expect(syntax.message.contains("day-of-week"))
        #expect(syntax.message.contains("MON-XYZ"))

        #expect(parseError("@reboot")?.message.contains("@reboot") == true)
        #expect(parseError("1 2 3")?.message.contains("has 3 fields") == true)
    }

    @Test func macrosEqualTheirExpansions() throws {
        let start = "2024-05-17T10:20:00Z"
        for (macro, expansion) in [("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"),
                                   ("@monthly", "0 0 1 * *"), ("@weekly", "0 0 * * 0"),
                                   ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"),
                                   ("@hourly", "0 * * * *"), ("@DAILY", "0 0 * * *")] {
            #expect(try fires(macro, after: start) == fires(expansion, after: start))
        }
    }

    @Test func namesAreCaseInsensitiveAndSevenIsSunday() throws {
        let start = "2024-05-17T10:20:00Z"
        #expect(try fires("0 0 * * 7", after: start) == fires("0 0 * * 0", after: start))
        #expect(try fires("0 0 * * sun", after: start) == fires("0 0 * * 0", after: start))
        #expect(try fires("0 8 * jan-MAR Mon-fri", after: start, count: 5)
            == fires("0 8 * 1-3 1-5", after: start, count: 5))
        #expect(try fires("0 0 * * FRI-SUN", after: start, count: 6)
            == fires("0 0 * * 5,6,0", after: start, count: 6))
    }

    @Test func orRuleAppliesOnlyWhenNeitherDayFieldStartsWithStar() throws {
        // Both restricted: the 1st, the 15th, or any Friday (2024-03-01 is a Friday).
        #expect(try fires("0 0 1,15 * 5", after: "2024-03-01T00:00:00Z", count: 4) == [
            "2024-03-08T00:00:00Z", "2024-03-15T00:00:00Z", "2024-03-22T00:00:00Z", "2024-03-29T00:00:00Z",
        ])
        // Vixie: "0-7" does not start with '*', so it is restricted and ORs with the 1st:
        // every day fires. (croniter treats a full range as '*' and would fire on the 1st only.)
        #expect(try fires("0 0 1 * 0-7", after: "2024-03-05T12:00:00Z")
            == ["2024-03-06T00:00:00Z", "2024-03-07T00:00:00Z", "2024-03-08T00:00:00Z"])
        // Vixie: "*/2" starts with '*', so both must match: odd days that are Mondays.
        // (croniter would OR the fields here.)
        #expect(try fires("0 0 */2 * 1", after: "2024-01-01T00:00:00Z")
            == ["2024-01-15T00:00:00Z", "2024-01-29T00:00:00Z", "2024-02-05T00:00:00Z"])
    }

    @Test func nextIsStrictlyAfterAndOnWholeMinutes() throws {
        let cron = try CronExpression("*/15 * * * *")
        #expect(cron.next(after: try utc("2024-01-01T00:15:00Z")) == (try utc("2024-01-01T00:30:00Z")))
        let midMinute = try utc("2024-01-01T00:14:59Z").addingTimeInterval(0.75)
        #expect(cron.next(after: midMinute) == (try utc("2024-01-01T00:15:00Z")))
        let justAfter = try utc("2024-01-01T00:15:00Z").addingTimeInterval(0.001)
        #expect(cron.next(after: justAfter) == (try utc("2024-01-01T00:30:00Z")))
    }

    @Test func impossibleSchedulesReturnNil() throws {
        for expression in ["0 0 30 2 *", "0 0 31 2,4,6,9,11 *", "0 0 31 4 *", "0 0 30,31 2 */3"] {
            let cron = try CronExpression(expression)
            #expect(cron.next(after: try utc("2024-01-01T00:00:00Z")) == nil)
        }
        // An OR with a weekday is always satisfiable: Mondays in February.
        #expect(try fires("0 0 30 2 1", after: "2024-01-01T00:00:00Z", count: 1) == ["2024-02-05T00:00:00Z"])
    }

    @Test func rareSchedulesAreFoundAcrossDecades() throws {
        // February 29th on a Sunday (AND rule, since day-of-week starts with '*').
        #expect(try fires("0 0 29 2 */7", after: "2004-03-01T00:00:00Z", count: 2)
            == ["2032-02-29T00:00:00Z", "2060-02-29T00:00:00Z"])
        #expect(try fires("0 0 29 2 */7", after: "2089-01-01T00:00:00Z", count: 1)
            == ["2128-02-29T00:00:00Z"])
    }

    @Test func fixedOffsetZonesShiftWallClock() throws {
        #expect(try fires("0 9 * * *", after: "2024-06-01T00:00:00Z", count: 2, in: "Asia/Kolkata")
            == ["2024-06-01T03:30:00Z", "2024-06-02T03:30:00Z"])
    }

    // Vixie cron's daylight-saving rule on real transition dates (the zones' own rules): a
    // fixed time inside a skipped hour runs right after the jump, a repeated hour is not run
    // twice by a fixed-time job, and wildcard jobs (minute or hour starting with `*`) follow
    // real time. Every instant below was checked with Python's zoneinfo.

    @Test("spring forward: a fixed time in the skipped hour runs at the jump; wildcard jobs skip it",
          arguments: [
              // New York 2024-03-10: 02:00 EST → 03:00 EDT at 07:00Z.
              ("America/New_York", "30 2 * * *", "2024-03-09T12:00:00Z", ["2024-03-10T07:00:00Z", "2024-03-11T06:30:00Z"]),
              ("America/New_York", "0,30 2 * * *", "2024-03-09T12:00:00Z",
               ["2024-03-10T07:00:00Z", "2024-03-11T06:00:00Z", "2024-03-11T06:30:00Z"]),
              ("America/New_York", "*/30 * * * *", "2024-03-10T06:00:00Z",
               ["2024-03-10T06:30:00Z", "2024-03-10T07:00:00Z", "2024-03-10T07:30:00Z"]),
              ("America/New_York", "*/20 2 * * *", "2024-03-09T12:00:00Z",
               ["2024-03-11T06:00:00Z", "2024-03-11T06:20:00Z"]),
              // Berlin 2024-03-31: 02:00 CET → 03:00 CEST at 01:00Z.
              ("Europe/Berlin", "30 2 * * *", "2024-03-30T12:00:00Z", ["2024-03-31T01:00:00Z", "2024-04-01T00:30:00Z"]),
              ("Europe/Berlin", "0 * * * *", "2024-03-30T23:30:00Z",
               ["2024-03-31T00:00:00Z", "2024-03-31T01:00:00Z", "2024-03-31T02:00:00Z"]),
              // Sydney 2024-10-06: 02:00 AEST → 03:00 AEDT at 16:00Z the day before.
              ("Australia/Sydney", "30 2 * * *", "2024-10-05T06:00:00Z", ["2024-10-05T16:00:00Z", "2024-10-06T15:30:00Z"]),
              // Lord Howe 2024-10-06: half an hour, 02:00 → 02:30 at 15:30Z the day before.
              ("Australia/Lord_Howe", "15 2 * * *", "2024-10-05T06:00:00Z", ["2024-10-05T15:30:00Z", "2024-10-06T15:15:00Z"]),
              ("Australia/Lord_Howe", "*/20 2 * * *", "2024-10-05T06:00:00Z", ["2024-10-05T15:40:00Z", "2024-10-06T15:00:00Z"]),
          ])
    func springForward(zone: String, expression: String, start: String, expected: [String]) throws {
        #expect(try fires(expression, after: start, count: expected.count, in: zone) == expected)
    }

    @Test("fall back: a fixed-time job is not run twice in the repeated hour; wildcard jobs follow real time",
          arguments: [
              // New York 2024-11-03: 02:00 EDT → 01:00 EST at 06:00Z; 01:00–01:59 happens twice.
              ("America/New_York", "30 1 * * *", "2024-11-02T12:00:00Z", ["2024-11-03T05:30:00Z", "2024-11-04T06:30:00Z"]),
              ("America/New_York", "15 1-3 * * *", "2024-11-03T04:30:00Z",
               ["2024-11-03T05:15:00Z", "2024-11-03T07:15:00Z", "2024-11-03T08:15:00Z"]),
              ("America/New_York", "0 * * * *", "2024-11-03T04:30:00Z",
               ["2024-11-03T05:00:00Z", "2024-11-03T06:00:00Z", "2024-11-03T07:00:00Z"]),
              ("America/New_York", "*/20 1 * * *", "2024-11-03T04:30:00Z",
               ["2024-11-03T05:00:00Z", "2024-11-03T05:20:00Z", "2024-11-03T05:40:00Z", "2024-11-03T06:00:00Z",
                "2024-11-03T06:20:00Z", "2024-11-03T06:40:00Z", "2024-11-04T06:00:00Z"]),
              ("America/New_York", "@daily", "2024-11-02T12:00:00Z", ["2024-11-03T04:00:00Z", "2024-11-04T05:00:00Z"]),
              // Berlin 2024-10-27: 03:00 CEST → 02:00 CET at 01:00Z.
              ("Europe/Berlin", "30 2 * * *", "2024-10-26T12:00:00Z", ["2024-10-27T00:30:00Z", "2024-10-28T01:30:00Z"]),
              ("Europe/Berlin", "30 * * * *", "2024-10-26T23:45:00Z",
               ["2024-10-27T00:30:00Z", "2024-10-27T01:30:00Z", "2024-10-27T02:30:00Z"]),
              // Sydney 2024-04-07: 03:00 AEDT → 02:00 AEST at 16:00Z the day before.
              ("Australia/Sydney", "30 2 * * *", "2024-04-06T06:00:00Z", ["2024-04-06T15:30:00Z", "2024-04-07T16:30:00Z"]),
              // Lord Howe 2024-04-07: half an hour back, 02:00 → 01:30 at 15:00Z the day before.
              ("Australia/Lord_Howe", "45 1 * * *", "2024-04-06T06:00:00Z", ["2024-04-06T14:45:00Z", "2024-04-07T15:15:00Z"]),
              ("Australia/Lord_Howe", "*/20 1 * * *", "2024-04-06T13:30:00Z",
               ["2024-04-06T14:00:00Z", "2024-04-06T14:20:00Z", "2024-04-06T14:40:00Z", "2024-04-06T15:10:00Z",
                "2024-04-07T14:30:00Z"]),
          ])
    func fallBack(zone: String, expression: String, start: String, expected: [String]) throws {
        #expect(try fires(expression, after: start, count: expected.count, in: zone) == expected)
    }

    @Test("listing: N fires strictly after the start, ISO 8601 with a numeric offset; a start without one is wall time")
    func listing() throws {
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        let cron = try CronExpression("30 2 * * *")
        let start = try #require(CronExpression.instant("2024-03-09T12:00:00Z", in: newYork))
        #expect(cron.fires(after: start, count: 3, in: newYork).map { CronExpression.timestamp($0, in: newYork) }
            == ["2024-03-10T03:00:00-04:00", "2024-03-11T02:30:00-04:00", "2024-03-12T02:30:00-04:00"])
        #expect(CronExpression.timestamp(try utc("2024-01-01T00:00:00Z"), in: .gmt) == "2024-01-01T00:00:00+00:00")
        let kolkata = try #require(TimeZone(identifier: "Asia/Kolkata"))
        #expect(CronExpression.timestamp(try utc("2024-06-01T03:30:00Z"), in: kolkata) == "2024-06-01T09:00:00+05:30")
        #expect(CronExpression.instant("2024-06-01T09:00", in: kolkata) == (try utc("2024-06-01T03:30:00Z")))
        #expect(CronExpression.instant("2024-06-01T09:00:00+05:30", in: .gmt) == (try utc("2024-06-01T03:30:00Z")))
        #expect(CronExpression.instant("next tuesday", in: .gmt) == nil)
        #expect(try CronExpression("0 0 30 2 *").fires(after: start, count: 5, in: newYork).isEmpty)
    }

    @Test func codableAsPlainString() throws {
        let cron = try CronExpression("  0 2 * * MON ")
        let data = try JSONEncoder().encode([cron])
        #expect(String(decoding: data, as: UTF8.self) == "[\"0 2 * * MON\"]")
        #expect(try JSONDecoder().decode([CronExpression].self, from: data) == [cron])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CronExpression].self, from: Data("[\"61 * * * *\"]".utf8))
        }
        #expect(cron.description == "0 2 * * MON")
    }

    @Test func manyFiresOfAnOrScheduleAreCheap() throws {
        let cron = try CronExpression("0 0 29 2 1")
        var cursor = try utc("2000-01-01T00:00:00Z")
        for _ in 0..<2_000 {
            cursor = try #require(cron.next(after: cursor))
        }
        #expect(cursor > (try utc("2038-01-01T00:00:00Z")))
    }
}
