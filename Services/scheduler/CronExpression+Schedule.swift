import CivilTime
import Foundation

/// Finding fire times.
///
/// The search runs on wall-clock readings in the job's time zone and jumps field by
/// field — to the next allowed month, then day, hour and minute — so even a yearly
/// schedule costs a few dozen steps, never a minute-by-minute scan.
///
/// Daylight saving time follows Vixie cron's rule (`cron(8)`), on real transition dates of
/// the zone's rules. A job is a *wildcard job* when its minute or hour field starts with `*`
/// (`*/15 * * * *`, `0 * * * *`, `*/20 1 * * *`), otherwise a *fixed-time job*
/// (`30 2 * * *`, `15 1-3 * * *`, `@daily`):
/// - **Spring forward (gap):** a fixed time inside the skipped hour runs right after the
///   jump (`30 2 * * *` runs at 03:00 that day, once however many of its times the gap
///   held); a wildcard job's skipped readings are skipped, its next run is coming anyway.
/// - **Fall back (overlap):** a fixed-time job is not run twice: a reading inside the
///   repeated hour fires at its first occurrence only (`30 1 * * *` at 01:30 EDT, not again
///   at 01:30 EST); a wildcard job follows real time and fires at both (`0 * * * *` at
///   both 01:00s).
/// Fire times are always computed with calendar arithmetic on wall readings resolved
/// through the zone's offsets, never by adding fixed durations.
extension CronExpression {
    /// How many years ahead the search looks before concluding nothing matches.
    ///
    /// Matches croniter's default; the rarest satisfiable schedules (a February 29th
    /// that must also be a given weekday) recur within 40 years.
    public static let searchHorizonYears = 50

    /// The first fire time at or after `date` (a fire exactly at it counts, one a fraction of a
    /// second before it does not), or `nil` if the schedule never fires.
    public func next(atOrAfter date: Date, in timeZone: TimeZone = .gmt) -> Date? {
        next(after: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.up) - 1), in: timeZone)
    }

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
                                             after: after, before: primary, zone: zone),
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
        let limitYear = start.year + Self.searchHorizonYears
        var wall = start
        while let match = nextMatch(atOrAfter: wall, limitYear: limitYear) {
            let naive = match.naiveSeconds
            switch zone.resolve(wallSeconds: naive) {
            case .instants(let instants):
                if let instant = fire(among: instants, after: after) { return instant }
            case .gap(let end):
                if !followsRealTime, end > after { return end }
            }
            wall = WallClockTime(naiveSeconds: naive + 60)
        }
        return nil
    }

    /// The instant a reading fires at after `after`: a reading the fall-back repeats fires at
    /// every occurrence for a wildcard job, at its first only for a fixed-time job.
    private func fire(among instants: [Int], after: Int) -> Int? {
        if followsRealTime { return instants.first(where: { $0 > after }) }
        return instants.first.flatMap { $0 > after ? $0 : nil }
    }

    /// The first fire from `start`, read in the new offset, that exists on the timeline
    /// after `after` and comes before `primary`; readings in a gap never count as
    /// alternatives. (After a half-hour fall-back, the first such reading may still be one
    /// the clocks passed before they went back, so the search goes on to the next.)
    private func alternativeFire(fromWall start: WallClockTime, after: Int, before primary: Int,
                                 zone: CronZoneMap) -> Int? {
        let offset = zone.offsetSeconds(at: primary)
        var wall = start
        while let match = nextMatch(atOrAfter: wall, limitYear: start.year + 1) {
            let naive = match.naiveSeconds
            if naive - offset >= primary { return nil }
            if case .instants(let instants) = zone.resolve(wallSeconds: naive), let fire = fire(among: instants, after: after) {
                return fire
            }
            wall = WallClockTime(naiveSeconds: naive + 60)
        }
        return nil
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
