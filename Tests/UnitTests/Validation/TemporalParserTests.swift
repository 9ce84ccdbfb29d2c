import Testing
@testable import Validation
import Contracts
import Tabular

@Suite("Date, time, datetime, year, yearmonth and duration readers")
struct TemporalParserTests {
    typealias Field = TableSchema.Field

    @Test func isoDates() throws {
        let field = Field(name: "d", type: "date")
        #expect(try SchemaTestSupport.value(field, "2024-02-29") == .string("2024-02-29"))
        #expect(try SchemaTestSupport.value(field, "2023-1-5") == .string("2023-01-05"))
        #expect(try SchemaTestSupport.value(field, "2023-01- 5") == .string("2023-01-05"))
        #expect(try SchemaTestSupport.value(field, "0001-01-01") == .string("0001-01-01"))
        for bad in ["2023-02-29", "1900-02-29", "0000-01-01", "2023-13-01", "2023-04-31", "20230105",
                    " 2023-01-05", "2023-01-05T00:00:00", "2023-1-011"] {
            #expect(try SchemaTestSupport.value(field, bad) == nil, "\(bad)")
        }
    }

    @Test func strptimePatterns() throws {
        let uk = Field(name: "d", type: "date", format: "%d/%m/%Y")
        #expect(try SchemaTestSupport.value(uk, "5/1/2023") == .string("2023-01-05"))
        #expect(try SchemaTestSupport.value(uk, " 5/01/2023") == .string("2023-01-05"))
        #expect(try SchemaTestSupport.value(uk, "29/02/2023") == nil)
        #expect(try SchemaTestSupport.value(uk, "05/01/23") == nil)
        let named = Field(name: "d", type: "date", format: "%d %b %Y")
        #expect(try SchemaTestSupport.value(named, "05  jan\t2023") == .string("2023-01-05"))
        #expect(try SchemaTestSupport.value(named, "05 January 2023") == nil)
        let long = Field(name: "d", type: "date", format: "%B %d, %y")
        #expect(try SchemaTestSupport.value(long, "September 30, 68") == .string("2068-09-30"))
        #expect(try SchemaTestSupport.value(long, "May 1, 69") == .string("1969-05-01"))
        let ordinal = Field(name: "d", type: "date", format: "%Y %j")
        #expect(try SchemaTestSupport.value(ordinal, "2023 366") == .string("2024-01-01"))
        let noYear = Field(name: "d", type: "date", format: "%m%d")
        #expect(try SchemaTestSupport.value(noYear, "111") == .string("1900-11-01"))
        #expect(try SchemaTestSupport.value(noYear, "0229") == nil)
        let fmtPrefix = Field(name: "d", type: "date", format: "fmt:%Y/%m/%d")
        #expect(try SchemaTestSupport.value(fmtPrefix, "2023/01/05") == .string("2023-01-05"))
    }

    @Test func looseDates() throws {
        let field = Field(name: "d", type: "date", format: "any")
        for text in ["2023-01-05", "2023/01/05", "01/05/2023", "5 January 2023", "January 5, 2023",
                     "Thursday, January 5, 2023", "5-Jan-2023", "20230105", "2023-01-05T10:30:00Z"] {
            #expect(try SchemaTestSupport.value(field, text) == .string("2023-01-05"), "\(text)")
        }
        #expect(try SchemaTestSupport.value(field, "13/05/2023") == .string("2023-05-13"))
        for bad in ["2023-02-30", "not a date", "13/13/2023", "2023-13-05"] {
            #expect(try SchemaTestSupport.value(field, bad) == nil, "\(bad)")
        }
    }

    @Test func isoTimes() throws {
        let field = Field(name: "t", type: "time")
        #expect(try SchemaTestSupport.value(field, "10:30:00") == .string("10:30:00"))
        #expect(try SchemaTestSupport.value(field, "10:30:00,123456789") == .string("10:30:00.123456"))
        #expect(try SchemaTestSupport.value(field, "10:30:00z") == .string("10:30:00Z"))
        #expect(try SchemaTestSupport.value(field, "10:30:00-0130") == .string("10:30:00-01:30"))
        #expect(try SchemaTestSupport.value(field, "10:30:00+05:3") == .string("10:30:00+05:03"))
        #expect(try SchemaTestSupport.value(field, "24:00:00") == .string("00:00:00"))
        for bad in ["24:00:01", "23:59:60", "1:30:00", "10:30", "10:30:00.", "10:30:00+1", "10:30:00+24:00"] {
            #expect(try SchemaTestSupport.value(field, bad) == nil, "\(bad)")
        }
        let ampm = Field(name: "t", type: "time", format: "%I:%M %p")
        #expect(try SchemaTestSupport.value(ampm, "12:00 am") == .string("00:00:00"))
        #expect(try SchemaTestSupport.value(ampm, "1:5 PM") == .string("13:05:00"))
        let zoned = Field(name: "t", type: "time", format: "%H:%M:%S.%f%z")
        #expect(try SchemaTestSupport.value(zoned, "10:30:00.5+0100") == .string("10:30:00.500000+01:00"))
        #expect(try SchemaTestSupport.value(zoned, "10:30:00.5+01:0030") == nil)
    }

    @Test func isoDatetimes() throws {
        let field = Field(name: "ts", type: "datetime")
        #expect(try SchemaTestSupport.value(field, "2023-01-05 10:30:00") == .string("2023-01-05T10:30:00"))
        #expect(try SchemaTestSupport.value(field, "2023-12-31T24:00:00") == .string("2024-01-01T00:00:00"))
        #expect(try SchemaTestSupport.value(field, "2023-W01-1T10:00:00") == .string("2023-01-02T10:00:00"))
        #expect(try SchemaTestSupport.value(field, "+202-01-05T10:30:00") == .string("0202-01-05T10:30:00"))
        #expect(try SchemaTestSupport.value(field, "2023-01-05T10:30:00.123456+05:30")
                == .string("2023-01-05T10:30:00.123456+05:30"))
        #expect(try SchemaTestSupport.value(field, "2023-01-05T10:30:00+00:00") == .string("2023-01-05T10:30:00Z"))
        for bad in ["9999-12-31T24:00:00", "2023-02-29T10:00:00", "2023-01-05T10:30", "20230105T10:30:00",
                    "2023-01-05T10:30:00 ", "2023-01-05T10:30:60"] {
            #expect(try SchemaTestSupport.value(field, bad) == nil, "\(bad)")
        }
    }

    @Test func yearsAndYearMonths() throws {
        let year = Field(name: "y", type: "year")
        #expect(try SchemaTestSupport.value(year, "2023") == .string("2023"))
        #expect(try SchemaTestSupport.value(year, "+999") == .string("0999"))
        #expect(try SchemaTestSupport.value(year, "1_00") == .string("0100"))
        for bad in ["99999", "999", "-999", "20 3", "2023.0"] { #expect(try SchemaTestSupport.value(year, bad) == nil) }
        let month = Field(name: "m", type: "yearmonth")
        #expect(try SchemaTestSupport.value(month, "2023-1") == .string("2023-01"))
        #expect(try SchemaTestSupport.value(month, " 2023 - 01 ") == .string("2023-01"))
        #expect(try SchemaTestSupport.value(month, "99999-12") == .string("99999-12"))
        for bad in ["2023-13", "2023-00", "-2023-01", "2023", "2023-01-01"] {
            #expect(try SchemaTestSupport.value(month, bad) == nil, "\(bad)")
        }
    }

    @Test func durations() throws {
        let field = Field(name: "d", type: "duration")
        #expect(try SchemaTestSupport.value(field, "P1Y2M3DT4H5M6S") == .string("P1Y2M3DT4H5M6S"))
        #expect(try SchemaTestSupport.value(field, "PT36H") == .string("P1DT12H"))
        #expect(try SchemaTestSupport.value(field, "PT") == .string("PT0S"))
        #expect(try SchemaTestSupport.value(field, "-PT1S") == .string("-PT1S"))
        #expect(try SchemaTestSupport.value(field, "P1,5D") == .string("P1DT12H"))
        #expect(try SchemaTestSupport.value(field, "PT1.0000005S") == .string("PT1.000001S"))
        #expect(try SchemaTestSupport.value(field, "PT0.0000015S") == .string("PT0.000002S"))
        #expect(try SchemaTestSupport.value(field, "P1.5Y") == .string("P1.5Y"))
        #expect(try SchemaTestSupport.value(field, "P0001-02-03T04:05:06") == .string("P1Y2M3DT4H5M6S"))
        for bad in ["P", "p1d", "P1M1Y", "PT1D", " P1D", "P1000000000D", "-P999999999DT23H59M59.999999S"] {
            #expect(try SchemaTestSupport.value(field, bad) == nil, "\(bad)")
        }
    }
}
