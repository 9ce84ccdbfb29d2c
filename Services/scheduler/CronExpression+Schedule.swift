import CivilTime
import Foundation

/// Finding fire times.
///
/// The search runs on wall-clock readings in the job's time zone and jumps field by
/// field — to the next allowed month, then day, hour and minute — so even a yearly
/// schedule costs a few dozen steps, never a minute-by-minute scan.
///
/// Daylight saving time follows croniter (7.x), the reference used by the tests:
/// - **Fall back (overlap):** fire times are real instants, so a reading inside the
///   repeated hour fires twice, once per offset (`30 1 * * *` fires at 01:30 EDT and
///   again at 01:30 EST; `0 * * * *` fires at both 01:00s).
/// - **Spring forward (gap):** a reading that does not exist fires at the first minute
///   after the gap (the instant the clocks jump) when the hour field is restricted —
///   a daily `30 2 * * *` job runs at 03:00 that day rather than being lost. When the
///   hour field allows every hour (`*/15 * * * *`, `30 * * * *`) the skipped readings
///   are simply skipped, since the next hour's run is coming anyway.
///
/// One croniter quirk is kept for fidelity: where clocks go back by less than an hour
/// (Lord Howe Island, 30 minutes), a reading in the repeated window fires only once
/// unless it is the first match in the new offset (`*/20 1 * * *` fires 01:40 once).
extension CronExpression {
    /// How many years ahead the search looks before concluding nothing matches.
    ///
    /// Matches croniter's default; the rarest satisfiable schedules (a February 29th
    /// that must also be a given weekday) recur within 40 years.
    public static let searchHorizonYears = 50

    /// The first fire time strictly after `date`, or `nil` if the schedule never fires.
    ///
    /// Fire times are whole minutes (second 0). Fields are matched against the wall
    /// clock in `timeZone` (UTC by default); see the type's notes for DST behaviour.
    /// Impossible schedules such as `0 0 30 2 *` return `nil` straight away; others
    /// give up after `searchHorizonYears`.
    public func next(after date: Date, in timeZone: TimeZone = .gmt) -> Date? {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e13, canEverFire else { return nil }

        let zone = CronZoneMap(timeZone: timeZone)
        let after = Int(seconds.rounded(.down))
        let startOffset = zone.offsetSeconds(at: after)
        guard let primary = firstFire(fromWall: wallStart(after: after, offset: startOffset),
                                      after: after, zone: zone)
        else { return nil }

        // Crossing a DST change: readings in the new offset that precede the primary
        // candidate's reading (the repeated hour after falling back) may come first.
        let primaryOffset = zone.offsetSeconds(at: primary)
        if primaryOffset != startOffset,
           let alternative = alternativeFire(fromWall: wallStart(after: after, offset: primaryOffset),
                                             after: after, zone: zone),
           alternative < primary
        {
            return Date(timeIntervalSince1970: TimeInterval(alternative))
        }
        return Date(timeIntervalSince1970: TimeInterval(primary))
    }

    /// The first whole-minute wall reading after `after`, read with `offset`.
    private func wallStart(after: Int, offset: Int) -> WallClockTime {
        WallClockTime(naiveSeconds: GregorianCalendar.floorDivide(after + offset, 60) * 60 + 60)
    }

    /// The earliest fire instant after `after`, scanning readings from `start` on.
    private func firstFire(fromWall start: WallClockTime, after: Int, zone: CronZoneMap) -> Int? {
        let everyHour = hours.containsAll(0...23)
        let limitYear = start.year + Self.searchHorizonYears
        var wall = start
        while let match = nextMatch(atOrAfter: wall, limitYear: limitYear) {
            let naive = match.naiveSeconds
            switch zone.resolve(wallSeconds: naive) {
            case .instants(let instants):
                if let instant = instants.first(where: { $0 > after }) { return instant }
            case .gap(let end):
                if !everyHour, end > after { return end }
            }
            wall = WallClockTime(naiveSeconds: naive + 60)
        }
        return nil
    }

    /// The first matching reading from `start` in the new offset, if it exists on the
    /// timeline after `after`; readings in a gap never count as alternatives.
    private func alternativeFire(fromWall start: WallClockTime, after: Int, zone: CronZoneMap) -> Int? {
        guard let match = nextMatch(atOrAfter: start, limitYear: start.year + Self.searchHorizonYears),
              case .instants(let instants) = zone.resolve(wallSeconds: match.naiveSeconds)
        else { return nil }
        return instants.first(where: { $0 > after })
    }

    /// The first wall reading at or after `start` that every field allows.
    func nextMatch(atOrAfter start: WallClockTime, limitYear: Int) -> WallClockTime? {
        var (year, month, day, hour, minute) = (start.year, start.month, start.day, start.hour, start.minute)
        while year <= limitYear {
            guard let allowedMonth = months.first(atOrAfter: month) else {
                (year, month, day, hour, minute) = (year + 1, 1, 1, 0, 0)
                continue
            }
            if allowedMonth != month {
                (month, day, hour, minute) = (allowedMonth, 1, 0, 0)
            }

            let monthLength = GregorianCalendar.daysInMonth(year: year, month: month)
            var weekday = GregorianCalendar.weekday(
                ofDays: GregorianCalendar.days(fromYear: year, month: month, day: min(day, monthLength)))
            while day <= monthLength, !matchesDay(dayOfMonth: day, weekday: weekday) {
                (day, hour, minute) = (day + 1, 0, 0)
                weekday = (weekday + 1) % 7
            }
            guard day <= monthLength else {
                (month, day, hour, minute) = (month + 1, 1, 0, 0)
                if month > 12 { (year, month) = (year + 1, 1) }
                continue
            }

            guard let allowedHour = hours.first(atOrAfter: hour) else {
                (day, hour, minute) = (day + 1, 0, 0)
                continue
            }
            if allowedHour != hour {
                (hour, minute) = (allowedHour, 0)
            }
            guard let allowedMinute = minutes.first(atOrAfter: minute) else {
                (hour, minute) = (hour + 1, 0)
                if hour > 23 { (day, hour) = (day + 1, 0) }
                continue
            }
            return WallClockTime(year: year, month: month, day: day, hour: hour, minute: allowedMinute)
        }
        return nil
    }

    /// Whether any calendar day can satisfy the day fields at all.
    ///
    /// Under the AND rule a day-of-month that no allowed month has (`30 2`, `31 4`)
    /// can never match; detecting that up front answers `nil` without a search.
    var canEverFire: Bool {
        if minutes.isEmpty || hours.isEmpty || months.isEmpty { return false }
        if !dayOfMonthIsWildcard && !dayOfWeekIsWildcard { return true }
        guard let firstDay = daysOfMonth.first(atOrAfter: 1), !daysOfWeek.isEmpty else { return false }
        let longestMonth = (1...12).filter(months.contains).map { month in
            month == 2 ? 29 : GregorianCalendar.daysInMonth(year: 2001, month: month)
        }.max() ?? 0
        return firstDay <= longestMonth
    }
}
