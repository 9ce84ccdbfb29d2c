import CivilTime
import Testing

/// strptime in both dialects and strftime, as the validator (`.python`) and plan casts
/// (`.simple`) have always used them.
@Suite("CivilTime strptime and strftime")
struct StrptimeTests {
    // MARK: - strptime, Python dialect (Table Schema validation)

    /// `format` read with the Python dialect, as `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[.ffffff][offset]`.
    private func python(_ format: String, _ text: String) throws -> String? {
        try StrptimeFormat(format, dialect: .python).parse(text)?.dateTime.description
    }

    private func pythonDate(_ format: String, _ text: String) throws -> String? {
        try StrptimeFormat(format, dialect: .python).parse(text)?.date.description
    }

    @Test func pythonDatePatterns() throws {
        #expect(try pythonDate("%d/%m/%Y", "5/1/2023") == "2023-01-05")
        #expect(try pythonDate("%d/%m/%Y", " 5/01/2023") == "2023-01-05") // `%d` accepts " 5"
        #expect(try pythonDate("%d/%m/%Y", "29/02/2023") == nil)
        #expect(try pythonDate("%d/%m/%Y", "05/01/23") == nil)
        #expect(try pythonDate("%d %b %Y", "05  jan\t2023") == "2023-01-05")
        #expect(try pythonDate("%d %b %Y", "05 January 2023") == nil) // `%b` is the abbreviation only
        #expect(try pythonDate("%d %b %Y", "05 SEP 2023") == "2023-09-05")
        #expect(try pythonDate("%d %b %Y", "05 \u{17F}ep 2023") == nil) // folds to "sep" but is not in the list
        #expect(try pythonDate("%B %d, %y", "September 30, 68") == "2068-09-30")
        #expect(try pythonDate("%B %d, %y", "May 1, 69") == "1969-05-01")
        #expect(try pythonDate("%Y %j", "2023 366") == "2024-01-01")
        #expect(try pythonDate("%m%d", "111") == "1900-11-01") // no year: 1900
        #expect(try pythonDate("%m%d", "0229") == nil)
        #expect(try pythonDate("%d%m%Y", "1122024") == "2024-02-11") // backtracking
        #expect(try pythonDate("%Y-%m-%d", "\u{662}\u{660}\u{662}\u{664}-01-05") == "2024-01-05") // Unicode digits
        #expect(try pythonDate("%Y-%m-%d", "2023-01- 5") == "2023-01-05")
        for bad in ["2023-1-011", " 2023-01-05", "20230105", "0000-01-01", "2023-01-05T00:00:00"] {
            #expect(try pythonDate("%Y-%m-%d", bad) == nil, "\(bad)")
        }
    }

    @Test func pythonTimesAndOffsets() throws {
        #expect(try python("%I:%M %p", "12:00 am") == "1900-01-01T00:00:00")
        #expect(try python("%I:%M %p", "1:5 PM") == "1900-01-01T13:05:00")
        #expect(try python("%Y-%m-%dt%H:%M", "2024-01-05T10:30") == "2024-01-05T10:30:00") // literals ignore case
        let zoned = try StrptimeFormat("%H:%M:%S.%f%z", dialect: .python)
        let match = try #require(zoned.parse("10:30:00.5+0100"))
        #expect(match.microsecond == 500_000 && match.offsetMicroseconds == 3_600_000_000)
        #expect(match.timeMicroseconds == 37_800_500_000 && match.ordinal == 693_596)
        #expect(match.dateTime.description == "1900-01-01T10:30:00.500000+01:00")
        #expect(zoned.parse("10:30:00.5+01:0030") == nil) // a colon after the hours must be repeated
        #expect(zoned.parse("10:30:00.5Z")?.utcOffset == .zero)
        #expect(zoned.parse("10:30:00.5+24:00") == nil)
        #expect(try python("%H:%M:%S", "23:59:60") == nil)
        #expect(try python("%I%p %a %A %b %B %j %y %%", "01PM Fri Friday Mar March 061 24 %")
                == "2024-03-01T13:00:00")
    }

    @Test func pythonFormatErrors() {
        func error(_ format: String) -> StrptimeFormat.FormatError? {
            do throws(StrptimeFormat.FormatError) {
                _ = try StrptimeFormat(format, dialect: .python)
                return nil
            } catch {
                return error
            }
        }
        #expect(error("%d/%m/%") == .strayPercent(position: 7))
        #expect(error("%Q") == .unsupported("Q", position: 1))
        #expect(error("%d %d") == .repeated("d", position: 4))
        #expect(error("%%%%") == nil) // literals may repeat
        #expect(error("%m%d") == nil) // no field is required
        #expect(error("%I%p %a %A %b %B %j %y %%") == nil)
    }

    // MARK: - strptime, simple dialect (processing-plan casts)

    private func simple(_ format: String, _ text: String) throws -> String? {
        try StrptimeFormat(format, dialect: .simple).parse(text)?.dateTime.description
    }

    @Test func simplePatterns() throws {
        #expect(try simple("%d/%m/%Y", "1/3/2024") == "2024-03-01T00:00:00")
        #expect(try simple("%d/%m/%Y", "31/12/1999") == "1999-12-31T00:00:00")
        #expect(try simple("%d/%m/%Y", "29/02/2023") == nil)
        #expect(try simple("%d/%m/%Y", "1/3/24") == nil) // `%Y` is exactly four digits
        #expect(try simple("%d %b %y", "5 mar 24") == "2024-03-05T00:00:00")
        #expect(try simple("%d %b %y", "17 September 70") == "1970-09-17T00:00:00") // `%b` reads full names too
        #expect(try simple("%d %b %y", "5 Foo 24") == nil)
        #expect(try simple("%Y%m%d", "20240301") == "2024-03-01T00:00:00")
        #expect(try simple("%d.%m.%Y %H:%M", "01.03.2024 8:05") == "2024-03-01T08:05:00")
        #expect(try simple("%d.%m.%Y %H:%M", "01.03.20248:05") == "2024-03-01T08:05:00") // a space may be absent
        #expect(try simple("%d.%m.%Y %H:%M", "01.03.2024 \t 8:05") == "2024-03-01T08:05:00")
        #expect(try simple("%d.%m.%Y %H:%M", "01.03.2024 24:00") == nil)
        #expect(try simple("%d%m%Y", "1122024") == nil) // greedy: day 11, month 22
        #expect(try simple("%Y-%m-%dT%H:%M", "2024-01-05t10:30") == nil) // literals are exact
        #expect(try simple("%Y-%m-%d", "\u{662}\u{660}\u{662}\u{664}-01-05") == nil) // ASCII digits only
        #expect(try simple("%d %d %m %Y", "1 2 3 2024") == "2024-03-02T00:00:00") // the last one wins
        #expect(try simple("%Y年%m月%d日", "2024年3月1日") == "2024-03-01T00:00:00")
        #expect(try simple("%%%Y-%m-%d", "%2024-03-01") == "2024-03-01T00:00:00")
    }

    @Test func simpleFormatErrors() {
        func error(_ format: String) -> StrptimeFormat.FormatError? {
            do throws(StrptimeFormat.FormatError) {
                _ = try StrptimeFormat(format, dialect: .simple)
                return nil
            } catch {
                return error
            }
        }
        #expect(error("%d/%q/%Y") == .unsupported("q", position: 4))
        #expect(error("%m/%Y") == .missingDateFields)
        #expect(error("abc%") == .strayPercent(position: 4))
        #expect(error("é%Q%Y") == .unsupported("Q", position: 3)) // UTF-8 byte positions
        #expect(error("%d/%m/%Y %I") == .unsupported("I", position: 10))
        #expect(error("%d %d %m %Y") == nil)
        #expect(StrptimeDialect.simple.directiveList == "%Y %y %m %b %B %d %H %M %S %%")
        #expect(StrptimeDialect.python.supports("z") && !StrptimeDialect.simple.supports("z"))
    }

    // MARK: - strftime

    @Test func strftimeDirectives() throws {
        let value = CivilDateTime(date: CivilDate(year: 2024, month: 3, day: 1)!,
                                  time: TimeOfDay(hour: 13, minute: 5, second: 9, microsecond: 250_000)!,
                                  offset: UTCOffset(minutes: 330))
        let all = try StrptimeFormat("%I%p %a %A %b %B %j %y %% %Y-%m-%dT%H:%M:%S.%f%z", dialect: .python)
        #expect(all.format(value) == "01PM Fri Friday Mar March 061 24 % 2024-03-01T13:05:09.250000+0530")
        let clock = try StrptimeFormat("%I %p", dialect: .python)
        #expect(clock.format(CivilDateTime(date: CivilDate(year: 1, month: 1, day: 1)!)) == "12 AM")
        #expect(clock.format(CivilDateTime(date: CivilDate(year: 1, month: 1, day: 1)!, hour: 12, minute: 0)!) == "12 PM")
        let early = try StrptimeFormat("%Y-%m-%d %a %A %j|%z|%f", dialect: .python)
        #expect(early.format(CivilDate(year: 99, month: 1, day: 1)!) == "0099-01-01 Thu Thursday 001||000000")
        let plan = try StrptimeFormat("%d.%m.%Y  %H:%M\t%b", dialect: .simple)
        #expect(plan.format(CivilDateTime(date: CivilDate(year: 2024, month: 12, day: 31)!, hour: 8, minute: 5)!)
                == "31.12.2024  08:05\tDec")
    }

    @Test func strftimeThenStrptimeRoundTrips() throws {
        let python = try StrptimeFormat("%Y-%m-%dT%H:%M:%S.%f%z %j %a", dialect: .python)
        let twoDigit = try StrptimeFormat("%d %B %y %I:%M:%S %p", dialect: .python)
        let plan = try StrptimeFormat("%d/%m/%Y %H:%M:%S", dialect: .simple)
        var failures = 0
        for (index, days) in stride(from: -719_162, through: 2_932_896, by: 1_009).enumerated() {
            let date = CivilDate(daysSinceEpoch: days)!
            let micros = Int64(index) * 7_919_000_013 % 86_400_000_000
            let time = TimeOfDay(microsecondsSinceMidnight: micros)!
            let aware = CivilDateTime(date: date, time: time, offset: UTCOffset(minutes: index % 1_439 - 719))
            let parsed = python.parse(python.format(aware))
            if parsed?.dateTime != aware { failures += 1 }
            let whole = CivilDateTime(date: date, hour: time.hour, minute: time.minute, second: time.second)!
            if plan.parse(plan.format(whole))?.dateTime != whole { failures += 1 }
            if (1969...2068).contains(date.year), twoDigit.parse(twoDigit.format(whole))?.dateTime != whole {
                failures += 1
            }
        }
        #expect(failures == 0)
    }
}
