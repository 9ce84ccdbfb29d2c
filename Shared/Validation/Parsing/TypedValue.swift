import CivilTime
import Contracts
import Tabular
/// A cell value after casting, carrying exactly what frictionless's Python object would:
/// enough to compare it (`minimum`, `maximum`), test membership (`enum`) and detect
/// duplicates (`unique`, keys) with Python's semantics, and to produce the ``CellValue``
/// the rest of the pipeline sees.
enum TypedValue: Sendable {
    case string(String)
    case integer(PythonInteger)
    case number(DecimalNumber)
    case boolean(Bool)
    /// A Python date ordinal.
    case date(Int)
    /// Microseconds since midnight and an optional UTC offset in microseconds.
    case time(Int64, offset: Int64?)
    /// Date ordinal, microseconds since midnight and an optional UTC offset.
    case datetime(Int, Int64, offset: Int64?)
    case year(Int)
    case yearmonth(PythonInteger, Int)
    case duration(DurationValue)
    /// Longitude and latitude as exact decimals, plus display text.
    case geopoint(DecimalNumber, DecimalNumber, text: String)
    /// An `object` or `array` cell: the parsed document and the original text.
    case json(JSONText, text: String)

    /// A key equal for values Python's `==` finds equal, or `nil` if the value equals
    /// nothing (NaN). Different types never share keys; aware and naive times never do.
    var equalityKey: String? {
        switch self {
        case .string(let text): return "s" + PythonText.exactKey(text)
        case .integer(let value): return "i" + value.text
        case .number(let value): return value.key.map { "n" + $0 }
        case .boolean(let value): return value ? "b1" : "b0"
        case .date(let ordinal): return "d" + String(ordinal)
        case .time(let micros, let offset):
            guard let offset else { return "t" + String(micros) }
            // Python compares aware times as (h*60 + m - offset // 1 minute, s, µs).
            let minutes = micros / 60_000_000 - Self.floorDivide(offset, 60_000_000)
            return "T" + String(minutes) + ":" + String(micros % 60_000_000)
        case .datetime(let ordinal, let micros, let offset):
            let local = Int128(ordinal) * Int128(GregorianCalendar.microsecondsPerDay) + Int128(micros)
            guard let offset else { return "m" + String(local) }
            return "M" + String(local - Int128(offset))
        case .year(let value): return "y" + String(value)
        case .yearmonth(let year, let month): return "Y" + year.text + "-" + String(month)
        case .duration(let value): return value.equalityKey
        case .geopoint(let lon, let lat, _):
            guard let lonKey = lon.key, let latKey = lat.key else { return nil }
            return "g" + lonKey + "," + latKey
        case .json(let document, _): return document.equalityKey.map { "j" + PythonText.exactKey($0) }
        }
    }

    /// A key equal for values a Python `dict` treats as the same key (hash and `==`),
    /// used for `unique` and primary/unique keys. Only durations differ from
    /// ``equalityKey`` (see ``DurationValue``).
    var hashKey: String? {
        if case .duration(let value) = self { return value.hashKey }
        return equalityKey
    }

    /// Three-way order for bounds, or `nil` when Python could not order the pair (NaN,
    /// aware against naive times, different types).
    func compare(_ other: TypedValue) -> Int? {
        switch (self, other) {
        case (.integer(let lhs), .integer(let rhs)): return lhs.compare(rhs)
        case (.number(let lhs), .number(let rhs)): return lhs.compare(rhs)
        case (.date(let lhs), .date(let rhs)): return Self.order(lhs, rhs)
        case (.year(let lhs), .year(let rhs)): return Self.order(lhs, rhs)
        case (.yearmonth(let ly, let lm), .yearmonth(let ry, let rm)):
            let years = ly.compare(ry)
            return years != 0 ? years : Self.order(lm, rm)
        case (.time(let lhs, let lhsOffset), .time(let rhs, let rhsOffset)):
            switch (lhsOffset, rhsOffset) {
            case (nil, nil): return Self.order(lhs, rhs)
            case (let lo?, let ro?) where lo == ro: return Self.order(lhs, rhs)
            case (let lo?, let ro?):
                let lm = lhs / 60_000_000 - Self.floorDivide(lo, 60_000_000)
                let rm = rhs / 60_000_000 - Self.floorDivide(ro, 60_000_000)
                return lm != rm ? Self.order(lm, rm) : Self.order(lhs % 60_000_000, rhs % 60_000_000)
            default: return nil
            }
        case (.datetime(let lo, let lm, let loff), .datetime(let ro, let rm, let roff)):
            let lhs = Int128(lo) * Int128(GregorianCalendar.microsecondsPerDay) + Int128(lm)
            let rhs = Int128(ro) * Int128(GregorianCalendar.microsecondsPerDay) + Int128(rm)
            switch (loff, roff) {
            case (nil, nil): return Self.order(lhs, rhs)
            case (let l?, let r?): return Self.order(lhs - Int128(l), rhs - Int128(r))
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Python's `len()` for `minLength`/`maxLength`: code points of a string, items of an
    /// array, members of an object.
    var length: Int? {
        switch self {
        case .string(let text): return PythonText.length(text)
        case .json(let document, _): return document.count
        default: return nil
        }
    }

    /// The typed cell handed to later stages.
    var cellValue: CellValue {
        switch self {
        case .string(let text): return .string(text)
        case .integer(.small(let value)): return .integer(value)
        case .integer(.big(let value)): return .string(value.plainText)
        case .number(let value): return .number(value.doubleValue)
        case .boolean(let value): return .bool(value)
        case .date(let ordinal):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(10)
            ISOText.appendDate(ordinal: ordinal, to: &bytes)
            return .string(String(decoding: bytes, as: UTF8.self))
        case .time(let micros, let offset):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(21)
            ISOText.appendTime(microseconds: micros, to: &bytes)
            if let offset { ISOText.appendOffset(microseconds: offset, to: &bytes) }
            return .string(String(decoding: bytes, as: UTF8.self))
        case .datetime(let ordinal, let micros, let offset):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(32)
            ISOText.appendDate(ordinal: ordinal, to: &bytes)
            bytes.append(UInt8(ascii: "T"))
            ISOText.appendTime(microseconds: micros, to: &bytes)
            if let offset { ISOText.appendOffset(microseconds: offset, to: &bytes) }
            return .string(String(decoding: bytes, as: UTF8.self))
        case .year(let value): return .string(ISOText.padded(value, 4))
        case .yearmonth(let year, let month):
            let yearText: String
            if case .small(let value) = year { yearText = ISOText.padded(Int(value), 4) } else { yearText = year.text }
            return .string(yearText + "-" + ISOText.padded(month, 2))
        case .duration(let value): return .string(value.isoText)
        case .geopoint(_, _, let text): return .string(text)
        case .json(_, let text): return .string(text)
        }
    }

    private static func order<T: Comparable>(_ lhs: T, _ rhs: T) -> Int {
        lhs < rhs ? -1 : (lhs == rhs ? 0 : 1)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
