import Foundation

/// Listing fire times for people: `sluice schedules next`, a schedule's next fires.
extension CronExpression {
    /// The next `count` fire times strictly after `date` in `timeZone` (fewer when the
    /// schedule stops firing within the search horizon).
    public func fires(after date: Date, count: Int, in timeZone: TimeZone) -> [Date] {
        var result: [Date] = []
        var cursor = date
        while result.count < count, let fire = next(after: cursor, in: timeZone) {
            result.append(fire)
            cursor = fire
        }
        return result
    }

    /// `date` as ISO 8601 with the zone's offset at that instant, seconds included and the
    /// offset always numeric (`2024-03-10T03:00:00-04:00`, `2024-01-01T00:00:00+00:00`), the
    /// form Python's `isoformat()` and croniter print.
    public static func timestamp(_ date: Date, in timeZone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        formatter.formatOptions = [.withFullDate, .withTime, .withDashSeparatorInDate, .withColonSeparatorInTime]
        let offset = timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return formatter.string(from: date) + sign + String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    /// An instant from `text`: ISO 8601 with an offset or `Z` names one; without one it is a
    /// wall-clock reading in `timeZone` (the first instant it occurs, or the end of the gap
    /// it falls in). `nil` when the text is not a date and time.
    public static func instant(_ text: String, in timeZone: TimeZone) -> Date? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.calendar = Calendar(identifier: .gregorian)
            formatter.timeZone = timeZone
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
