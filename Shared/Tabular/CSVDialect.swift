/// The separator conventions of one delimited-text file.
///
/// Uploads arrive from spreadsheets configured for many locales: European Excel writes
/// `;` because `,` is the decimal separator, database exports often use tab or `|`.
/// A dialect travels with a file from detection through parsing so every stage agrees.
public struct CSVDialect: Sendable, Hashable, CustomStringConvertible {
    /// The byte that separates fields; one of `CSVDialect.supportedDelimiters`.
    public let delimiter: UInt8

    /// The byte that encloses fields containing special characters; always `"`.
    ///
    /// Kept as a property so parsing code reads naturally, but not configurable:
    /// RFC 4180 fixes it and no upload source we accept uses anything else.
    public let quote: UInt8

    /// RFC 4180 comma-separated values; the default when nothing else is known.
    public static let comma = CSVDialect(uncheckedDelimiter: UInt8(ascii: ","))

    /// Semicolon-separated values, as written by spreadsheets in comma-decimal locales.
    public static let semicolon = CSVDialect(uncheckedDelimiter: UInt8(ascii: ";"))

    /// Tab-separated values, common for database and clipboard exports.
    public static let tab = CSVDialect(uncheckedDelimiter: UInt8(ascii: "\t"))

    /// Pipe-separated values, common for mainframe and ERP extracts.
    public static let pipe = CSVDialect(uncheckedDelimiter: UInt8(ascii: "|"))

    /// Every dialect detection may choose, in tie-breaking order (comma wins ties).
    public static let all: [CSVDialect] = [.comma, .semicolon, .tab, .pipe]

    /// The delimiters Sluice accepts; others are rejected rather than guessed at.
    public static let supportedDelimiters: [UInt8] = all.map(\.delimiter)

    /// Creates a dialect for a supported delimiter byte, or `nil` for any other byte.
    ///
    /// Failing instead of accepting arbitrary bytes keeps configuration typos
    /// (say, `.` or a letter) from silently producing one-column tables.
    public init?(delimiter: UInt8) {
        guard Self.supportedDelimiters.contains(delimiter) else { return nil }
        self.init(uncheckedDelimiter: delimiter)
    }

    /// Creates a dialect from a configuration value such as `","`, `";"`, `"\t"`, `"tab"`
    /// or `"|"`, returning `nil` for anything unsupported.
    public init?(name: String) {
        switch name.lowercased() {
        case ",", "comma", "csv": self = .comma
        case ";", "semicolon": self = .semicolon
        case "\t", "tab", "\\t", "tsv": self = .tab
        case "|", "pipe": self = .pipe
        default: return nil
        }
    }

    private init(uncheckedDelimiter: UInt8) {
        self.delimiter = uncheckedDelimiter
        self.quote = UInt8(ascii: "\"")
    }

    /// A short human-readable name, used in logs and error messages.
    public var description: String {
        switch delimiter {
        case UInt8(ascii: ","): "comma"
        case UInt8(ascii: ";"): "semicolon"
        case UInt8(ascii: "\t"): "tab"
        case UInt8(ascii: "|"): "pipe"
        default: "delimiter \(delimiter)"
        }
    }
}

extension CSVDialect {
    /// How many non-empty lines of the sample detection looks at.
    ///
    /// Enough to see past a header and a few data rows; more only costs time,
    /// because delimiter choice is settled by the first rows in practice.
    public static let detectionLineLimit = 50

    /// Guesses the dialect of a file from its first bytes.
    ///
    /// Uploaders rarely say which separator they used, so ingest sniffs it. Each
    /// candidate delimiter is counted per line, outside quoted fields (quotes may span
    /// lines). A candidate scores the number of lines whose field count equals its most
    /// common count, provided that count is at least 2 (a delimiter that never appears
    /// cannot be the separator). The best score wins; ties go to comma, then to
    /// semicolon, tab and pipe in that order.
    ///
    /// When the sample is cut mid-line (it does not end in a line break and holds
    /// several lines), the partial last line is ignored so a truncated row cannot
    /// out-vote complete ones. An empty or undecidable sample yields `.comma`.
    public static func detect(sample: some Collection<UInt8>) -> CSVDialect {
        let lines = DetectionScan(sample: Array(sample)).fieldCounts()
        guard !lines.isEmpty else { return .comma }

        var best = CSVDialect.comma
        var bestScore = 0
        for (index, dialect) in all.enumerated() {
            let score = consistencyScore(lines.map { $0[index] })
            if score > bestScore {
                best = dialect
                bestScore = score
            }
        }
        return best
    }

    /// Lines agreeing with the most common field count, or 0 when that count is 1.
    private static func consistencyScore(_ counts: [Int]) -> Int {
        var frequency: [Int: Int] = [:]
        for count in counts where count > 1 {
            frequency[count, default: 0] += 1
        }
        return frequency.values.max() ?? 0
    }
}

/// One pass over a detection sample that counts fields per line for every candidate.
private struct DetectionScan {
    let sample: [UInt8]

    /// Field counts per non-empty line, one entry per `CSVDialect.all` member.
    func fieldCounts() -> [[Int]] {
        let quote = UInt8(ascii: "\"")
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        let delimiters = CSVDialect.supportedDelimiters

        var bytes = sample[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }

        var lines: [[Int]] = []
        var counts = [Int](repeating: 1, count: delimiters.count)
        var lineHasContent = false
        var inQuotes = false
        var previous: UInt8 = 0

        for byte in bytes {
            defer { previous = byte }
            if byte == quote {
                inQuotes.toggle()
                lineHasContent = true
            } else if inQuotes {
                continue
            } else if byte == lf || byte == cr {
                if byte == lf, previous == cr { continue }
                if lineHasContent { lines.append(counts) }
                if lines.count >= CSVDialect.detectionLineLimit { return lines }
                counts = [Int](repeating: 1, count: delimiters.count)
                lineHasContent = false
            } else {
                lineHasContent = true
                if let slot = delimiters.firstIndex(of: byte) { counts[slot] += 1 }
            }
        }
        // A trailing line without a break is complete only if it is the whole sample.
        if lineHasContent, lines.isEmpty { lines.append(counts) }
        return lines
    }
}
