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
        // A run date is a day and nothing more.
        #expect(CivilDate.isDay("2024-02-29") && CivilDate.isDay("2026-12-31"))
        for bad in ["2023-02-29", "2026-02-31", "2026-13-01", "2024-03-01T08:30", "2024-03-01 ", "", "2024-3-1"] {
            #expect(!CivilDate.isDay(bad), "\(bad)")
        }
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
}
