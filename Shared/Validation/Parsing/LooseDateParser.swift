import CivilTime
import Contracts
import Tabular
/// A deliberately small, deterministic reading of the Table Schema `any` date/time format.
///
/// frictionless implements `format: "any"` with `dateutil.parser.parse`, a fuzzy parser
/// that fills missing parts from *today's* date and guesses two-digit centuries relative
/// to the current year, so its verdicts change over time and cannot be matched exactly.
/// This reader accepts the unambiguous common forms and rejects the rest:
///
/// - numeric dates `2024-01-05`, `2024/1/5`, `20240105`, `1/5/2024` (month first, as
///   dateutil's default; day first when the first number exceeds 12);
/// - month names: `5 January 2024`, `Jan 5, 2024`, `Friday, January 5, 2024`, `5-Jan-2024`;
/// - an optional time `10:30`, `10:30:15.25`, with `am`/`pm`, and an offset `Z`, `UTC`,
///   `GMT`, `+05:30` or `-0800`, separated by a space or `T`;
/// - for `time` fields, a time alone.
///
/// Two-digit years, dates without a day or year, and times without a date (for `date`
/// and `datetime` fields) are rejected, where dateutil would invent the missing parts.
enum LooseDateParser {
    /// What was found: a date (year, month, day), a time in microseconds, an offset.
    struct Result: Sendable {
        var date: (year: Int, month: Int, day: Int)?
        var micros: Int64?
        var offsetMicros: Int64?
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                 "sep", "oct", "nov", "dec"]
    /// Weekday names dateutil skips (it does not check them against the date either).
    private static let weekdays: Set<String> = [
        "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs",
        "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday",
    ]

    /// Parses `text`; `nil` when it is not one of the supported forms or not a real date.
    static func parse(_ text: String) -> Result? {
        guard PythonText.isASCII(text) else { return nil }
        var words = tokenize(text.lowercased())
        guard !words.isEmpty else { return nil }
        var result = Result()
        // The time: the first token with a colon, then optional am/pm and offset.
        if let index = words.firstIndex(where: { $0.contains(":") }) {
            guard var micros = clock(words[index]) else { return nil }
            var consumed = 1
            if index + 1 < words.count, words[index + 1] == "am" || words[index + 1] == "pm" {
                guard let adjusted = meridiem(micros, pm: words[index + 1] == "pm") else { return nil }
                micros = adjusted
                consumed += 1
            }
            if index + consumed < words.count, let offset = offset(words[index + consumed]) {
                result.offsetMicros = offset
                consumed += 1
            }
            result.micros = micros
            words.removeSubrange(index..<(index + consumed))
        }
        words.removeAll { weekdays.contains($0) }
        if words.isEmpty { return result.micros == nil ? nil : result }
        guard let date = calendarDate(words) else { return nil }
        result.date = date
        return result
    }

    /// Splits into date parts, one `hh:mm[:ss[.f]]` token, `am`/`pm` and an offset:
    /// chunks are separated by spaces and commas; a chunk with a colon is a time (possibly
    /// glued to a date by `T` and to a suffix such as `pm`, `z` or `+05:30`); other chunks
    /// split on `/`, `-` and `.`.
    private static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        let chunks = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
        for chunk in chunks {
            var rest = Substring(chunk)
            if rest.contains(":") {
                // A date glued with "T": 2024-01-05t10:30.
                if let t = rest.firstIndex(of: "t"), t > rest.startIndex,
                   rest[rest.index(before: t)].isNumber {
                    tokens.append(contentsOf: dateParts(rest[..<t]))
                    rest = rest[rest.index(after: t)...]
                }
                let clockEnd = rest.firstIndex { !($0.isNumber || $0 == ":" || $0 == ".") } ?? rest.endIndex
                tokens.append(String(rest[..<clockEnd]))
                var suffix = rest[clockEnd...]
                for word in ["am", "pm"] where suffix.hasPrefix(word) {
                    tokens.append(word)
                    suffix = suffix.dropFirst(2)
                }
                if !suffix.isEmpty { tokens.append(String(suffix)) }
            } else if (rest.first == "+" || rest.first == "-"), tokens.last?.contains(":") == true
                        || tokens.last == "am" || tokens.last == "pm" {
                tokens.append(String(rest))
            } else {
                tokens.append(contentsOf: dateParts(rest))
            }
        }
        return tokens
    }

    private static func dateParts(_ chunk: Substring) -> [String] {
        chunk.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." }).map(String.init)
    }

    private static func monthNumber(_ word: String) -> Int? {
        guard word.count >= 3, word.allSatisfy(\.isLetter) else { return nil }
        let full = ["january", "february", "march", "april", "may", "june", "july", "august",
                    "september", "october", "november", "december"]
        if let index = full.firstIndex(of: word) { return index + 1 }
        if word == "sept" { return 9 }
        return months.firstIndex(of: word).map { $0 + 1 }
    }

    /// `h:mm`, `hh:mm:ss`, `hh:mm:ss.ffffff` (fraction truncated to microseconds).
    private static func clock(_ word: String) -> Int64? {
        let parts = word.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count) else { return nil }
        let secondsParts = parts.count == 3 ? parts[2].split(separator: ".", omittingEmptySubsequences: false) : ["0"]
        guard let hour = Int(parts[0]), parts[0].count <= 2, let minute = Int(parts[1]),
              parts[1].count == 2, secondsParts.count <= 2, let second = Int(secondsParts[0]),
              hour < 24, minute < 60, second < 60 else { return nil }
        var micro = 0
        if secondsParts.count == 2 {
            let digits = secondsParts[1].prefix(6)
            guard !digits.isEmpty, let value = Int(digits), secondsParts[1].allSatisfy(\.isNumber)
            else { return nil }
            micro = value * Int(pow10(6 - digits.count))
        }
        return Int64(((hour * 60 + minute) * 60 + second) * 1_000_000 + micro)
    }

    private static func meridiem(_ micros: Int64, pm: Bool) -> Int64? {
        let hour = micros / 3_600_000_000
        guard (1...12).contains(hour) else { return nil }
        let rest = micros % 3_600_000_000
        let converted = hour == 12 ? (pm ? 12 : 0) : (pm ? hour + 12 : hour)
        return converted * 3_600_000_000 + rest
    }

    private static func offset(_ word: String) -> Int64? {
        if word == "z" || word == "utc" || word == "gmt" { return 0 }
        guard let sign = word.first, sign == "+" || sign == "-" else { return nil }
        let digits = word.dropFirst().filter { $0 != ":" }
        guard digits.count == 4 || digits.count == 2, digits.allSatisfy(\.isNumber),
              let value = Int(digits) else { return nil }
        let hours = digits.count == 4 ? value / 100 : value
        let minutes = digits.count == 4 ? value % 100 : 0
        guard hours < 24, minutes < 60 else { return nil }
        let magnitude = Int64(hours * 60 + minutes) * 60_000_000
        return sign == "-" ? -magnitude : magnitude
    }

    private static func calendarDate(_ words: [String]) -> (year: Int, month: Int, day: Int)? {
        var year: Int?, month: Int?, day: Int?
        let numbers = words.filter { $0.allSatisfy(\.isNumber) }
        let names = words.filter { !$0.allSatisfy(\.isNumber) }
        if names.count == 1, let named = monthNumber(names[0]), numbers.count == 2 {
            month = named
            guard let long = numbers.firstIndex(where: { $0.count == 4 }),
                  numbers[1 - long].count <= 2 else { return nil }
            year = Int(numbers[long]); day = Int(numbers[1 - long])
        } else if names.isEmpty, numbers.count == 1, numbers[0].count == 8 {
            let value = Int(numbers[0])!
            (year, month, day) = (value / 10_000, value / 100 % 100, value % 100)
        } else if names.isEmpty, numbers.count == 3 {
            let values = numbers.compactMap { Int($0) }
            if numbers[0].count == 4, numbers[1].count <= 2, numbers[2].count <= 2 {
                (year, month, day) = (values[0], values[1], values[2])
            } else if numbers[2].count == 4, numbers[0].count <= 2, numbers[1].count <= 2 {
                year = values[2]
                (month, day) = values[0] > 12 ? (values[1], values[0]) : (values[0], values[1])
            }
        }
        guard let year, let month, let day,
              GregorianCalendar.isValid(year: year, month: month, day: day) else { return nil }
        return (year, month, day)
    }

    private static func pow10(_ exponent: Int) -> Int64 {
        (0..<max(0, exponent)).reduce(1) { value, _ in value * 10 }
    }
}
