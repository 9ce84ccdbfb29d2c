import APIModels
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
        ScheduleParameters.timestamp(date, timeZone)
    }

    /// The last fire time strictly before `date` (the start of the period a fire at `date`
    /// closes), or nil when there is none within the search horizon.
    public func previous(before date: Date, in timeZone: TimeZone) -> Date? {
        var span: TimeInterval = 86_400
        while span <= Double(Self.searchHorizonYears) * 366 * 86_400 {
            let start = date.addingTimeInterval(-span)
            if let first = next(after: start, in: timeZone), first < date {
                var last = first
                while let fire = next(after: last, in: timeZone), fire < date { last = fire }
                return last
            }
            span *= 4
        }
        return nil
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
