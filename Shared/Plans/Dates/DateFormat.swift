import Contracts
import Tabular
/// A strptime-like pattern for reading dates written in local conventions (`%d/%m/%Y`).
///
/// Supported directives: `%Y` (four-digit year), `%y` (two-digit year: 00–68 → 2000s,
/// 69–99 → 1900s, as POSIX), `%m` (month 1–12, one or two digits), `%d` (day, one or two
/// digits), `%H` `%M` `%S` (hour, minute, second, one or two digits), `%b` and `%B` (an
/// English month name, full or three-letter, any letter case — as glibc, the two are the
/// same) and `%%` (a percent sign). A space in the pattern matches any run of whitespace,
/// including none; every other character must match itself. Text is trimmed first and must
/// be consumed completely, so `01/02/2024x` is an error rather than a silent guess.
public struct DateFormat: Sendable, Hashable {
    /// One element of a compiled pattern.
    enum Piece: Sendable, Hashable {
        case year4, year2, month, monthName, day, hour, minute, second
        case whitespace
        case literal(UInt8)
    }

    /// The pattern as written in the plan.
    public let pattern: String
    let pieces: [Piece]

    /// The directives this type understands, for error messages.
    public static let supportedDirectives = "%Y %y %m %b %B %d %H %M %S %%"

    /// Compiles `pattern`; throws a message naming the first unsupported directive and its
    /// 1-based position, or a missing year, month or day.
    public init(pattern: String) throws(PlanError) {
        self.pattern = pattern
        var pieces: [Piece] = []
        var chars = Array(pattern.utf8).makeIterator()
        var position = 0
        while let byte = chars.next() {
            position += 1
            if byte == UInt8(ascii: " ") {
                if pieces.last != .whitespace { pieces.append(.whitespace) }
                continue
            }
            guard byte == UInt8(ascii: "%") else { pieces.append(.literal(byte)); continue }
            guard let directive = chars.next() else {
                throw DateFormat.error("format '\(pattern)' ends with a lone '%' at position \(position)")
            }
            switch directive {
            case UInt8(ascii: "Y"): pieces.append(.year4)
            case UInt8(ascii: "y"): pieces.append(.year2)
            case UInt8(ascii: "m"): pieces.append(.month)
            case UInt8(ascii: "b"), UInt8(ascii: "B"): pieces.append(.monthName)
            case UInt8(ascii: "d"): pieces.append(.day)
            case UInt8(ascii: "H"): pieces.append(.hour)
            case UInt8(ascii: "M"): pieces.append(.minute)
            case UInt8(ascii: "S"): pieces.append(.second)
            case UInt8(ascii: "%"): pieces.append(.literal(UInt8(ascii: "%")))
            default:
                let name = String(decoding: [directive], as: UTF8.self)
                throw DateFormat.error("unknown directive '%\(name)' at position \(position) in format "
                    + "'\(pattern)'; supported: \(DateFormat.supportedDirectives)")
            }
            position += 1
        }
        let hasYear = pieces.contains(.year4) || pieces.contains(.year2)
        let hasMonth = pieces.contains(.month) || pieces.contains(.monthName)
        guard hasYear, hasMonth, pieces.contains(.day) else {
            throw DateFormat.error("format '\(pattern)' must contain a year (%Y or %y), a month "
                + "(%m, %b or %B) and a day (%d)")
        }
        self.pieces = pieces
    }

    /// Reads `text` with this pattern; `nil` when it does not match or names no real date.
    public func parse(_ text: String) -> CivilDateTime? {
        let trimmed = TextTransforms.trimmed(text)
        return trimmed.utf8.withContiguousStorageIfAvailable { parse(bytes: $0) } ?? parse(bytes: Array(trimmed.utf8))
    }

    private func parse<Bytes: RandomAccessCollection<UInt8>>(bytes: Bytes) -> CivilDateTime? where Bytes.Index == Int {
        var index = bytes.startIndex
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        for piece in pieces {
            switch piece {
            case .whitespace:
                while index < bytes.endIndex, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
            case .literal(let byte):
                guard index < bytes.endIndex, bytes[index] == byte else { return nil }
                index += 1
            case .year4:
                guard let value = number(bytes, &index, min: 4, max: 4) else { return nil }
                year = value
            case .year2:
                guard let value = number(bytes, &index, min: 2, max: 2) else { return nil }
                year = value < 69 ? 2000 + value : 1900 + value
            case .month: guard let value = number(bytes, &index, min: 1, max: 2) else { return nil }; month = value
            case .day: guard let value = number(bytes, &index, min: 1, max: 2) else { return nil }; day = value
            case .hour: guard let value = number(bytes, &index, min: 1, max: 2) else { return nil }; hour = value
            case .minute: guard let value = number(bytes, &index, min: 1, max: 2) else { return nil }; minute = value
            case .second: guard let value = number(bytes, &index, min: 1, max: 2) else { return nil }; second = value
            case .monthName:
                guard let value = monthName(bytes, &index) else { return nil }
                month = value
            }
        }
        guard index == bytes.endIndex, let date = CivilDate(year: year, month: month, day: day) else { return nil }
        return CivilDateTime(date: date, hour: hour, minute: minute, second: second)
    }

    /// Reads between `min` and `max` ASCII digits, greedily.
    private func number<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ index: inout Int, min: Int,
                                                               max: Int) -> Int? where Bytes.Index == Int {
        var value = 0
        var count = 0
        while count < max, index < bytes.endIndex, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            value = value * 10 + Int(bytes[index] - 0x30)
            index += 1
            count += 1
        }
        return count >= min ? value : nil
    }

    private static let monthNames = [
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    ].map { Array($0.utf8) }

    /// Reads an English month name, preferring the full name over its three-letter prefix.
    private func monthName<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ index: inout Int) -> Int?
    where Bytes.Index == Int {
        let lower = bytes[index...].prefix(9).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        for (offset, name) in DateFormat.monthNames.enumerated() {
            if lower.starts(with: name) { index += name.count; return offset + 1 }
        }
        for (offset, name) in DateFormat.monthNames.enumerated() where lower.starts(with: name.prefix(3)) {
            index += 3
            return offset + 1
        }
        return nil
    }

    private static func error(_ detail: String) -> PlanError {
        PlanError(code: .invalidFormat, detail: detail)
    }
}
