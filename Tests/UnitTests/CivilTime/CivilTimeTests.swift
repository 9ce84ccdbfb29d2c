import CivilTime
import Testing

/// Unit tests for the CivilTime module alone (no Foundation, no other Sluice module).
///
/// The strptime cases mirror what the validator (frictionless, `.python`) and plan casts
/// (`.simple`) have always accepted and rejected, so a change of behaviour shows up here
/// before it shows up in `TemporalParserTests`, `CastStepTests` or the oracle fixtures.
@Suite("CivilTime")
struct CivilTimeTests {
    /// A calendar triple as an array, so expectations compare plain `Equatable` values.
    private func ymd(_ fields: (year: Int, month: Int, day: Int)?) -> [Int]? {
        fields.map { [$0.year, $0.month, $0.day] }
    }

    // MARK: - Gregorian arithmetic

    @Test func everyDayFromYear1To9999RoundTrips() {
        // An independent reference: walk the calendar one day at a time.
        var (year, month, day) = (1, 1, 1)
        var days = GregorianCalendar.days(fromYear: 1, month: 1, day: 1)
        #expect(days == -719_162)
        var failures = 0
        while year <= 9999 {
            let civil = GregorianCalendar.civil(fromDays: days)
            if civil.year != year || civil.month != month || civil.day != day
                || GregorianCalendar.days(fromYear: year, month: month, day: day) != days
                || GregorianCalendar.ordinal(year: year, month: month, day: day) != days + 719_163 {
                failures += 1
            }
            days += 1
            day += 1
            if day > GregorianCalendar.daysInMonth(year: year, month: month) { (day, month) = (1, month + 1) }
            if month > 12 { (month, year) = (1, year + 1) }
        }
        #expect(failures == 0)
        #expect(days - 1 + 719_163 == 3_652_059)
    }

    @Test func dayCountsRoundTripFarOutsideTheISORange() {
        var failures = 0
        for days in stride(from: -5_000_000, through: 120_000_000, by: 997) {
            let civil = GregorianCalendar.civil(fromDays: days)
            if GregorianCalendar.days(fromYear: civil.year, month: civil.month, day: civil.day) != days
                || !(1...12).contains(civil.month)
                || !(1...GregorianCalendar.daysInMonth(year: civil.year, month: civil.month)).contains(civil.day) {
                failures += 1
            }
        }
        #expect(failures == 0)
        #expect(ymd(GregorianCalendar.civil(fromDays: -719_163)) == [0, 12, 31])
        #expect(ymd(GregorianCalendar.civil(fromDays: -719_469)) == [0, 2, 29]) // year 0 is a leap year
        #expect(ymd(GregorianCalendar.civil(fromDays: -719_529)) == [-1, 12, 31])
    }

    @Test(arguments: [(1900, false), (2000, true), (2023, false), (2024, true), (2100, false), (1600, true),
                      (4, true), (0, true), (-4, true), (-100, false), (1, false)])
    func leapYears(year: Int, leap: Bool) {
        #expect(GregorianCalendar.isLeapYear(year) == leap)
        #expect(CivilDate.isLeapYear(year) == leap)
        #expect(GregorianCalendar.daysInMonth(year: year, month: 2) == (leap ? 29 : 28))
        #expect(GregorianCalendar.daysInYear(year) == (leap ? 366 : 365))
    }

    @Test func monthLengthsAndValidation() {
        #expect((1...12).map { GregorianCalendar.daysInMonth(year: 2023, month: $0) }
                == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
        #expect(GregorianCalendar.isValid(year: 2024, month: 2, day: 29))
        for (year, month, day) in [(2023, 2, 29), (1900, 2, 29), (0, 1, 1), (10_000, 1, 1), (2023, 13, 1),
                                   (2023, 4, 31), (2023, 0, 1), (2023, 1, 0)] {
            #expect(!GregorianCalendar.isValid(year: year, month: month, day: day), "\(year)-\(month)-\(day)")
            #expect(CivilDate(year: year, month: month, day: day) == nil)
        }
    }

    @Test func weekdaysAndOrdinals() {
        #expect(GregorianCalendar.weekday(ofDays: 0) == 4) // 1970-01-01, a Thursday
        #expect(GregorianCalendar.weekday(ofDays: -4) == 0) // 1969-12-28, a Sunday
        #expect(GregorianCalendar.isoWeekday(ofDays: 0) == 4)
        let first = CivilDate(year: 1, month: 1, day: 1)!
        #expect(first.ordinal == 1 && first.isoWeekday == 1 && first.weekday == 1) // a Monday
        #expect(CivilDate(year: 2024, month: 3, day: 1)!.weekday == 5) // a Friday
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.ordinal == GregorianCalendar.ordinalOfUnixEpoch)
        #expect(CivilDate(year: 9999, month: 12, day: 31)!.ordinal == 3_652_059)
        #expect(ymd(GregorianCalendar.date(fromOrdinal: 0)) == nil)
        #expect(ymd(GregorianCalendar.date(fromOrdinal: 3_652_060)) == nil)
        #expect(ymd(GregorianCalendar.date(fromOrdinal: 1)) == [1, 1, 1])
        #expect(ymd(GregorianCalendar.date(fromOrdinal: 738_946)) == [2024, 3, 1])
        #expect(CivilDate(ordinal: 738_946) == CivilDate(year: 2024, month: 3, day: 1))
        #expect(GregorianCalendar.isoWeekday(ordinal: 738_946) == 5)
        #expect(CivilDate(year: 2024, month: 12, day: 31)!.dayOfYear == 366)
        #expect(CivilDate(year: 2023, month: 12, day: 31)!.dayOfYear == 365)
    }

    @Test func floorDivisionRoundsDown() {
        #expect(GregorianCalendar.floorDivide(-1, 60) == -1)
        #expect(GregorianCalendar.floorDivide(-60, 60) == -1)
        #expect(GregorianCalendar.floorDivide(-61, 60) == -2)
        #expect(GregorianCalendar.floorDivide(59, 60) == 0)
        #expect(GregorianCalendar.floorDivide(Int64(-1), Int64(-60)) == 0)
        #expect(GregorianCalendar.floorDivide(Int64(1), Int64(-60)) == -1)
        #expect(GregorianCalendar.floorModulo(-1, 7) == 6)
    }

    // MARK: - Dates, times, offsets

    @Test func isoDates() {
        #expect(CivilDate(iso: "2024-02-29")?.description == "2024-02-29")
        #expect(CivilDate(iso: "0001-01-01")?.description == "0001-01-01")
        #expect(CivilDate(iso: "2024-03-01T99:99")?.description == "2024-03-01")
        #expect(CivilDate(iso: "2024-03-01 08:30")?.description == "2024-03-01")
        for bad in ["2023-02-29", "0000-01-01", "2024-3-1", "20240301", " 2024-03-01", "2024-03-01x", "+2024-03-01"] {
            #expect(CivilDate(iso: bad) == nil, "\(bad)")
        }
        var bytes: [UInt8] = []
        CivilDate(year: 99, month: 7, day: 4)!.appendISO(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "0099-07-04")
    }

    @Test func dateArithmetic() {
        let date = CivilDate(year: 2024, month: 2, day: 28)!
        #expect(date.adding(days: 2)?.description == "2024-03-01")
        #expect(CivilDate(year: 1, month: 1, day: 1)!.adding(days: -1) == nil)
        #expect(CivilDate(year: 9999, month: 12, day: 31)!.adding(days: 1) == nil)
        #expect(CivilDate(daysSinceEpoch: 10_957)?.description == "2000-01-01")
        func months(_ from: String, _ to: String) -> Int { CivilDate(iso: from)!.months(to: CivilDate(iso: to)!) }
        #expect(months("2024-01-31", "2024-02-29") == 0)
        #expect(months("2024-01-15", "2024-03-15") == 2)
        #expect(months("2024-03-15", "2024-01-16") == -1)
        #expect(months("2000-02-29", "2024-02-28") / 12 == 23)
        #expect(CivilDate(iso: "1969-12-31")! < CivilDate(iso: "2000-01-01")!)
    }

    @Test func timesShowFractionsThreeWays() {
        #expect(TimeOfDay(hour: 8, minute: 30, second: 5, fractionDigits: "250")?.description == "08:30:05.250")
        #expect(TimeOfDay(hour: 8, minute: 30, second: 5, fractionDigits: "250")?.microsecond == 250_000)
        #expect(TimeOfDay(hour: 8, minute: 30, second: 5, fractionDigits: "1234567")?.microsecond == 123_456)
        #expect(TimeOfDay(microsecondsSinceMidnight: 37_800_500_000)?.description == "10:30:00.500000")
        #expect(TimeOfDay(microsecondsSinceMidnight: 37_800_000_000)?.description == "10:30:00")
        #expect(TimeOfDay(millisecondsSinceMidnight: 30_600_500)?.description == "08:30:00.500")
        #expect(TimeOfDay(millisecondsSinceMidnight: 30_600_000)?.description == "08:30:00")
        #expect(TimeOfDay(hour: 24, minute: 0) == nil)
        #expect(TimeOfDay(hour: 23, minute: 59, second: 60) == nil)
        #expect(TimeOfDay(hour: 1, minute: 0, fractionDigits: "5x") == nil)
        #expect(TimeOfDay(microsecondsSinceMidnight: 86_400_000_000) == nil)
        #expect(TimeOfDay(hour: 23, minute: 59, second: 59, microsecond: 999_999)?.microsecondsSinceMidnight
                == 86_399_999_999)
    }

    @Test func offsets() {
        #expect(UTCOffset.zero.description == "Z")
        #expect(UTCOffset(minutes: 330)?.description == "+05:30")
        #expect(UTCOffset(seconds: -3630)?.description == "-01:00:30")
        #expect(UTCOffset(microseconds: 500_000)?.description == "+00:00:00.500000")
        #expect(UTCOffset(minutes: 330)?.compactDescription == "+0530")
        #expect(UTCOffset(seconds: -3630)?.compactDescription == "-010030")
        #expect(UTCOffset.zero.compactDescription == "+0000")
        #expect(UTCOffset(minutes: 1440) == nil)
        #expect(UTCOffset(seconds: -86_400) == nil)
        #expect(UTCOffset(minutes: -90)?.seconds == -5400)
    }

    // MARK: - ISO date-times (processing-plan reading)

    @Test(arguments: [
        ("2024-03-01T08:30:05.250", "2024-03-01T08:30:05.250"),
        ("2024-03-01 23:30-02:00", "2024-03-02T01:30:00Z"),
        ("2024-03-01", "2024-03-01T00:00:00"),
        ("2024-03-01T10:00:00+02:00", "2024-03-01T08:00:00Z"),
        ("2024-03-01T10:00:00,5z", "2024-03-01T10:00:00.5Z"),
        ("2024-03-01T00:15+0030", "2024-02-29T23:45:00Z"),
        ("2024-03-01T10:00-08", "2024-03-01T18:00:00Z"),
        ("0001-01-01T00:30+01:00", "0001-01-01T23:30:00Z"), // out of range: the date is kept
    ])
    func isoDateTimes(text: String, expected: String) {
        #expect(CivilDateTime(iso: text)?.description == expected)
    }

    @Test func isoDateTimeRejections() {
        for bad in ["2024-03-01T25:00", "2024-03-01T10", "2024-03-01T10:00:60", "2024-03-01T10:00:00.",
                    "2024-03-01T10:00+24:00", "2024-03-01T10:00+01:60", "2024-03-01T10:00Zx", "2024-03-01T10:00 ",
                    "2024-02-30T10:00", "2024-03-01X10:00"] {
            #expect(CivilDateTime(iso: bad) == nil, "\(bad)")
        }
        let aware = CivilDateTime(iso: "2024-03-01T10:00:00+02:00")!
        #expect(aware.isUTC && aware.microsecondsSinceEpoch == 1_709_280_000_000_000)
        #expect(CivilDateTime(iso: "2024-03-01T10:00:00")?.microsecondsSinceEpoch == nil)
    }

    // MARK: - Wall clocks and zones

    /// New York in 2024: EST (−05:00) but EDT (−04:00) from 10 March 07:00Z to 3 November 06:00Z.
    struct NewYork2024: TimeZoneRules {
        static let springForward = GregorianCalendar.days(fromYear: 2024, month: 3, day: 10) * 86_400 + 7 * 3600
        static let fallBack = GregorianCalendar.days(fromYear: 2024, month: 11, day: 3) * 86_400 + 6 * 3600
        func offsetSeconds(at instant: Int) -> Int {
            instant >= Self.springForward && instant < Self.fallBack ? -4 * 3600 : -5 * 3600
        }
    }

    @Test func wallClockReadings() {
        for naive in [-90_061, -60, -1, 0, 59, 60, 1_709_281_845, 253_402_300_799, 10_000_000_000_000] {
            let reading = WallClockTime(naiveSeconds: naive)
            #expect(reading.naiveSeconds == GregorianCalendar.floorDivide(naive, 60) * 60)
        }
        #expect(WallClockTime(naiveSeconds: -1) == WallClockTime(year: 1969, month: 12, day: 31, hour: 23, minute: 59))
        #expect(WallClockTime(year: 2024, month: 3, day: 1, hour: 0, minute: 0).weekday == 5)
        #expect(WallClockTime(year: 12_024, month: 3, day: 1, hour: 0, minute: 0).civilDate == nil)
        #expect(WallClockTime(naiveSeconds: 60) < WallClockTime(naiveSeconds: 120))
    }

    @Test func zonesResolveGapsAndOverlaps() {
        let zone = NewYork2024()
        let march10 = GregorianCalendar.days(fromYear: 2024, month: 3, day: 10) * 86_400
        let november3 = GregorianCalendar.days(fromYear: 2024, month: 11, day: 3) * 86_400
        typealias Resolution = WallClockTime.Resolution
        // 02:30 on 10 March does not exist: the first minute after the gap is 03:00 EDT.
        #expect(zone.resolve(wallSeconds: march10 + 2 * 3600 + 1800) == Resolution.gap(end: march10 + 7 * 3600))
        // 01:30 on 3 November happens twice, in EDT and then in EST.
        #expect(zone.resolve(wallSeconds: november3 + 3600 + 1800)
                == Resolution.instants([november3 + 5 * 3600 + 1800, november3 + 6 * 3600 + 1800]))
        let july4 = GregorianCalendar.days(fromYear: 2024, month: 7, day: 4) * 86_400
        #expect(zone.resolve(WallClockTime(year: 2024, month: 7, day: 4, hour: 12, minute: 0))
                == Resolution.instants([july4 + 16 * 3600]))
        #expect(zone.wallClock(at: march10 + 7 * 3600) == WallClockTime(year: 2024, month: 3, day: 10, hour: 3, minute: 0))
        #expect(zone.utcOffset(at: 0) == UTCOffset(minutes: -300))
        let fixed = UTCOffset(minutes: 330)!
        #expect(fixed.resolve(wallSeconds: 19_800) == WallClockTime.Resolution.instants([0]))
    }

    // MARK: - Excel serial dates

    @Test func excelSerials1900() {
        func text(_ serial: Double, _ kind: ExcelSerialDate.Kind = .date) -> String? {
            ExcelSerialDate(serial: serial, system: .excel1900)?.text(as: kind)
        }
        #expect(text(1) == "1900-01-01")
        #expect(text(59) == "1900-02-28")
        #expect(text(60) == nil) // the phantom 1900-02-29
        #expect(text(60, .dateTime) == nil)
        #expect(text(60.5, .time) == nil)
        #expect(text(61) == "1900-03-01")
        #expect(text(25_569) == "1970-01-01")
        #expect(text(45_352) == "2024-03-01")
        #expect(text(45_352.354166666664) == "2024-03-01T08:30:00")
        #expect(text(45_352.5, .dateTime) == "2024-03-01T12:00:00")
        #expect(text(45_352, .dateTime) == "2024-03-01T00:00:00")
        #expect(text(45_352.000005787) == "2024-03-01T00:00:00.500")
        #expect(text(0.999999999) == "1900-01-01") // rounds up to the next midnight
        #expect(text(0.75, .time) == "18:00:00")
        #expect(text(1.25, .time) == "1900-01-01T06:00:00")
        #expect(text(2_958_465) == "9999-12-31")
        #expect(text(2_958_465.9999999999) == nil) // rounds into year 10000
        #expect(text(2_958_466) == nil)
        #expect(text(-1) == nil)
        #expect(text(.nan) == nil && text(.infinity) == nil)
    }

    @Test func excelSerialZero() {
        let zero = ExcelSerialDate(serial: 0, system: .excel1900)!
        #expect(zero.date == nil) // "1900-01-00"
        #expect(zero.text(as: .date) == nil)
        #expect(zero.text(as: .time) == "00:00:00")
        #expect(zero.text(as: .dateTime) == "00:00:00")
        #expect(ExcelSerialDate(serial: 0.5, system: .excel1900)?.text(as: .date) == "12:00:00")
        let zero1904 = ExcelSerialDate(serial: 0, system: .excel1904)!
        #expect(zero1904.text(as: .date) == "1904-01-01")
        #expect(zero1904.text(as: .time) == "00:00:00")
        #expect(zero1904.text(as: .dateTime) == "1904-01-01T00:00:00")
        #expect(ExcelSerialDate(serial: 43_890, system: .excel1904)?.text(as: .date) == "2024-03-01")
    }

    @Test func excelSerialsFromDates() {
        func serial(_ iso: String, _ system: ExcelSerialDate.System = .excel1900) -> Int? {
            ExcelSerialDate(date: CivilDate(iso: iso)!, system: system)?.days
        }
        #expect(serial("1900-01-01") == 1)
        #expect(serial("1900-02-28") == 59)
        #expect(serial("1900-03-01") == 61)
        #expect(serial("1899-12-31") == nil)
        #expect(serial("1904-01-01", .excel1904) == 0)
        #expect(serial("1903-12-31", .excel1904) == nil)
        var failures = 0
        for days in stride(from: 1, through: 2_958_465, by: 101) where days != 60 {
            for system in [ExcelSerialDate.System.excel1900, .excel1904] {
                guard let date = ExcelSerialDate(serial: Double(days), system: system)?.date else { continue }
                if ExcelSerialDate(date: date, system: system)?.days != days { failures += 1 }
            }
        }
        #expect(failures == 0)
        let noon = ExcelSerialDate(date: CivilDate(iso: "2024-03-01")!, milliseconds: 43_200_000, system: .excel1900)!
        #expect(noon.serial == 45_352.5)
        #expect(ExcelSerialDate(serial: noon.serial, system: .excel1900) == noon)
    }

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
