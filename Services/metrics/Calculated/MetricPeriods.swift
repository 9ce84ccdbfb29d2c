import Aggregation
import Foundation

/// A period of a metric, `[start, end)`.
struct PeriodWindow: Equatable, Sendable {
    let start: Date
    let end: Date
}

/// Calendar periods in a zone: a plain rule, tested directly.
enum MetricPeriods {
    /// The period of `period` that holds `instant`, cut in `zone`.
    static func containing(_ instant: Date, _ period: MetricDefinition.Period, zone: TimeZone) -> PeriodWindow {
        var calendar = Calendar(identifier: period.kind == .isoWeek ? .iso8601 : .gregorian)
        calendar.timeZone = zone
        switch period.kind {
        case .day:
            let start = calendar.startOfDay(for: instant)
            return PeriodWindow(start: start, end: calendar.date(byAdding: .day, value: 1, to: start)!)
        case .isoWeek:
            let interval = calendar.dateInterval(of: .weekOfYear, for: instant)!
            return PeriodWindow(start: interval.start, end: interval.end)
        case .month:
            let interval = calendar.dateInterval(of: .month, for: instant)!
            return PeriodWindow(start: interval.start, end: interval.end)
        case .custom:
            let hours = period.hours ?? 24
            let day = calendar.startOfDay(for: instant)
            let hour = calendar.component(.hour, from: instant)
            // Wall-clock hours on both ends, so a daylight-saving day's slices neither overlap nor leave a gap.
            let first = hour - hour % hours
            let start = calendar.date(bySettingHour: first, minute: 0, second: 0, of: day) ?? day
            let midnight = calendar.date(byAdding: .day, value: 1, to: day)!
            let end = first + hours >= 24 ? midnight
                : calendar.date(bySettingHour: first + hours, minute: 0, second: 0, of: day) ?? midnight
            return PeriodWindow(start: start, end: max(end, start.addingTimeInterval(1)))
        }
    }

    /// The periods from the one holding `first` to the one holding `last`, at most `limit`.
    static func covering(_ first: Date, _ last: Date, _ period: MetricDefinition.Period, zone: TimeZone,
                         limit: Int = 1_000) -> [PeriodWindow] {
        var result: [PeriodWindow] = []
        var window = containing(first, period, zone: zone)
        while window.start <= last, result.count < limit {
            result.append(window)
            window = containing(window.end, period, zone: zone)
        }
        return result
    }

    /// Midnight of `YYYY-MM-DD` in `zone`.
    static func day(_ text: String, zone: TimeZone) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
        // Calendar rolls 2026-02-30 over into March: such a date is refused.
        guard let date, calendar.component(.day, from: date) == parts[2] else { return nil }
        return date
    }
}
