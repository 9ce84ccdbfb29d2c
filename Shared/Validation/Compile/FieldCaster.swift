import CivilTime
import Contracts
import Tabular
/// Turns one cell's text into a ``TypedValue`` for a field's type and format, or reports
/// that it cannot (a frictionless `type-error`).
///
/// Everything per-field that can be decided once — the strptime program, boolean lookup
/// tables, number separators — is resolved when the schema is compiled, so `cast` does no
/// string-keyed lookups or allocations beyond the value itself.
struct FieldCaster: Sendable {
    /// How to read dates and times: ISO (`default`), `any`, or a strptime pattern.
    enum TemporalFormat: Sendable {
        case iso, loose, pattern(StrptimeFormat)
    }

    /// The compiled reading rule.
    enum Kind: Sendable {
        case string(StringFormat)
        case integer(NumberReader)
        case number(NumberReader)
        case boolean(trueValues: [String], falseValues: [String])
        case date(TemporalFormat)
        case time(TemporalFormat)
        case datetime(TemporalFormat)
        case year
        case yearmonth
        case duration
        case geopoint(GeopointReader)
        case object
        case array
        case any
    }

    /// The `string` formats frictionless validates.
    enum StringFormat: String, Sendable {
        case `default`, email, uri, uuid, binary
    }

    let kind: Kind

    /// Reads a non-missing cell.
    func cast(_ text: String) -> TypedValue? {
        switch kind {
        case .string(let format):
            switch format {
            case .default: break
            case .email: guard StringFormats.isEmail(text) else { return nil }
            case .uri: guard StringFormats.isURI(text) else { return nil }
            case .uuid: guard StringFormats.isUUID(text) else { return nil }
            case .binary: guard StringFormats.isBase64(text) else { return nil }
            }
            return .string(text)
        case .any:
            return .string(text)
        case .integer(let reader):
            return reader.readInteger(text).map { .integer($0) }
        case .number(let reader):
            return reader.readNumber(text).map { .number($0) }
        case .boolean(let trueValues, let falseValues):
            // frictionless builds one dict from trueValues then falseValues: false wins ties.
            if falseValues.contains(where: { PythonText.equal($0, text) }) { return .boolean(false) }
            if trueValues.contains(where: { PythonText.equal($0, text) }) { return .boolean(true) }
            return nil
        case .date(let format):
            switch format {
            case .iso:
                return Self.fastISODate(text) ?? StrptimeFormat.isoDate.parse(text).map { .date($0.ordinal) }
            case .loose:
                return LooseDateParser.parse(text)?.date.map {
                    .date(GregorianCalendar.ordinal(year: $0.year, month: $0.month, day: $0.day))
                }
            case .pattern(let pattern):
                return pattern.parse(text).map { .date($0.ordinal) }
            }
        case .time(let format):
            switch format {
            case .iso:
                return ISODateTimeParser.parseTime(text).map { .time($0.micros, offset: $0.offsetMicros) }
            case .loose:
                guard let parsed = LooseDateParser.parse(text), let micros = parsed.micros else { return nil }
                return .time(micros, offset: parsed.offsetMicros)
            case .pattern(let pattern):
                return pattern.parse(text).map { .time($0.timeMicroseconds, offset: $0.offsetMicroseconds) }
            }
        case .datetime(let format):
            switch format {
            case .iso:
                return ISODateTimeParser.parseDatetime(text).map {
                    .datetime($0.ordinal, $0.micros, offset: $0.offsetMicros)
                }
            case .loose:
                guard let parsed = LooseDateParser.parse(text), let date = parsed.date else { return nil }
                return .datetime(GregorianCalendar.ordinal(year: date.year, month: date.month, day: date.day),
                                 parsed.micros ?? 0, offset: parsed.offsetMicros)
            case .pattern(let pattern):
                return pattern.parse(text).map { .datetime($0.ordinal, $0.timeMicroseconds, offset: $0.offsetMicroseconds) }
            }
        case .year:
            // `len(cell) == 4`, then `int(cell)` (so " 999" and "+999" pass), then 0…9999.
            guard PythonText.length(text) == 4 else { return nil }
            let ascii = PythonText.asciiForInt(text)
            guard case .small(let value)? = ascii.withUnsafeBufferPointer({ PythonNumberSyntax.parseInt($0) }),
                  (0...9999).contains(value) else { return nil }
            return .year(Int(value))
        case .yearmonth:
            // `year, month = cell.split("-")`, both through `int()`, month 1…12.
            let parts = text.unicodeScalars.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            let numbers = parts.map { part in
                PythonText.asciiForInt(String(part)).withUnsafeBufferPointer { PythonNumberSyntax.parseInt($0) }
            }
            guard let year = numbers[0], case .small(let month)? = numbers[1], (1...12).contains(month)
            else { return nil }
            return .yearmonth(year, Int(month))
        case .duration:
            return DurationParser.parse(text).map { .duration($0) }
        case .geopoint(let reader):
            return reader.read(text)
        case .object:
            guard let document = JSONText.parse(text), case .object = document else { return nil }
            return .json(document, text: text)
        case .array:
            guard let document = JSONText.parse(text), case .array = document else { return nil }
            return .json(document, text: text)
        }
    }

    /// `YYYY-MM-DD` in plain ASCII digits, the overwhelmingly common date; anything else
    /// goes through the general strptime matcher.
    private static func fastISODate(_ text: String) -> TypedValue? {
        NumberReader.withBytes(text) { bytes -> TypedValue? in
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
            func digits(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    let byte = bytes[index]
                    guard byte >= 0x30, byte <= 0x39 else { return nil }
                    value = value * 10 + Int(byte - 0x30)
                }
                return value
            }
            guard let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10),
                  GregorianCalendar.isValid(year: year, month: month, day: day) else { return nil }
            return .date(GregorianCalendar.ordinal(year: year, month: month, day: day))
        }
    }
}

extension StrptimeFormat {
    /// frictionless's default date pattern.
    static let isoDate = try! StrptimeFormat("%Y-%m-%d", dialect: .python)
}

/// frictionless's `geopoint` reader for its three formats.
///
/// - `default`: `"lon, lat"` — split on commas into exactly two parts, each read with
///   `Decimal()` (so `1e2` and `1_0` count);
/// - `array`: a JSON document unpacked into two values — a two-item list, but also, as in
///   Python, a two-key object (its keys) or a two-character string;
/// - `object`: a JSON object with exactly the members `lon` and `lat`.
///
/// Values may be numbers, numeric strings or booleans (`Decimal(True)` is 1). Longitude
/// must lie in [-180, 180] and latitude in [-90, 90]; NaN and infinities fail.
struct GeopointReader: Sendable {
    /// The three Table Schema geopoint formats.
    enum Format: String, Sendable {
        case `default`, array, object
    }

    let format: Format

    /// The geopoint a cell denotes, or `nil` for a type error.
    func read(_ text: String) -> TypedValue? {
        switch format {
        case .default:
            let parts = text.unicodeScalars.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            let values = parts.map { part -> DecimalNumber? in
                guard let ascii = PythonText.asciiForDecimal(String(part)) else { return nil }
                return ascii.withUnsafeBufferPointer { PythonNumberSyntax.parseDecimal($0) }
            }
            guard let lon = values[0], let lat = values[1] else { return nil }
            return Self.point(lon, lat, text: lon.plainText + "," + lat.plainText)
        case .array:
            guard let document = JSONText.parse(text), let (first, second) = document.pair,
                  let lon = first.decimalValue, let lat = second.decimalValue else { return nil }
            return Self.point(lon, lat, text: Self.display(first, lon) + "," + Self.display(second, lat))
        case .object:
            guard let document = JSONText.parse(text), case .object(let members) = document,
                  members.count == 2, let first = document.member("lon"),
                  let second = document.member("lat"),
                  let lon = first.decimalValue, let lat = second.decimalValue else { return nil }
            return Self.point(lon, lat, text: Self.display(first, lon) + "," + Self.display(second, lat))
        }
    }

    /// A geopoint from schema values (`enum` entries written as `[lon, lat]`).
    static func point(_ lon: DecimalNumber, _ lat: DecimalNumber, text: String) -> TypedValue? {
        guard lon.compare(DecimalNumber(-180)).map({ $0 >= 0 }) == true,
              lon.compare(DecimalNumber(180)).map({ $0 <= 0 }) == true,
              lat.compare(DecimalNumber(-90)).map({ $0 >= 0 }) == true,
              lat.compare(DecimalNumber(90)).map({ $0 <= 0 }) == true else { return nil }
        return .geopoint(lon, lat, text: text)
    }

    /// Floats print in their shortest form rather than their exact binary expansion.
    private static func display(_ value: JSONText, _ decimal: DecimalNumber) -> String {
        if case .float(let double) = value { return double.description }
        return decimal.plainText
    }
}
