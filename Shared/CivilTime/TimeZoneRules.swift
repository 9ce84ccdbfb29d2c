/// A time zone as far as converting wall-clock readings is concerned: the offset from UTC
/// in force at each instant.
///
/// This module has no tz database of its own and does not import Foundation. A caller
/// wraps whatever zone source it has — the scheduler wraps Foundation's `TimeZone`, whose
/// `secondsFromGMT(for:)` is exactly ``offsetSeconds(at:)`` — and gets the wall-clock
/// resolution below, including the daylight-saving edge cases. A fixed ``UTCOffset`` is a
/// zone without transitions.
///
/// Instants are whole seconds since 1970-01-01T00:00:00Z; wall readings are "naive
/// seconds", the same count for the wall time as if it were UTC (see
/// ``WallClockTime/naiveSeconds``), so `instant + offset == wall`.
///
/// For example, in New York (−05:00 in winter, −04:00 in summer):
///
/// - 2024-03-10 02:30 does not exist (clocks jump from 02:00 to 03:00):
///   `.gap(end:)` is the instant of 2024-03-10T07:00:00Z, when 03:00 EDT begins;
/// - 2024-11-03 01:30 happens twice: `.instants` holds 05:30Z (EDT) and 06:30Z (EST);
/// - any other reading has exactly one instant.
public protocol TimeZoneRules: Sendable {
    /// The zone's offset from UTC in seconds, east positive, at `instant` (seconds since
    /// 1970-01-01T00:00:00Z).
    func offsetSeconds(at instant: Int) -> Int
}

/// Resolving wall-clock readings to instants.
extension TimeZoneRules {
    /// Finds the instants at which the zone's clocks read `wall` (naive seconds).
    ///
    /// A reading can correspond to one instant (the normal case), two (the repeated hour
    /// when clocks go back) or none (the skipped hour when clocks go forward); a schedule
    /// search needs to know which, so it can fire once per real instant and decide what to
    /// do about skipped times.
    ///
    /// The offsets in force a day either side of the reading are the only candidates:
    /// zones change offset at most once within such a window in practice.
    public func resolve(wallSeconds wall: Int) -> WallClockTime.Resolution {
        let candidates = Set([offsetSeconds(at: wall - 86_400), offsetSeconds(at: wall),
                              offsetSeconds(at: wall + 86_400)])
        var instants: [Int] = []
        for candidate in candidates {
            let instant = wall - candidate
            if offsetSeconds(at: instant) == candidate { instants.append(instant) }
        }
        if !instants.isEmpty { return .instants(instants.sorted()) }
        return .gap(end: gapEnd(after: wall, offsets: candidates))
    }

    /// Finds the instants at which the zone's clocks show `reading` (see
    /// ``resolve(wallSeconds:)``).
    public func resolve(_ reading: WallClockTime) -> WallClockTime.Resolution {
        resolve(wallSeconds: reading.naiveSeconds)
    }

    /// The offset at `instant` as a ``UTCOffset``, or `nil` if the zone reports one of a
    /// day or more (no real zone does).
    public func utcOffset(at instant: Int) -> UTCOffset? {
        UTCOffset(seconds: offsetSeconds(at: instant))
    }

    /// The wall-clock reading (to the minute) the zone's clocks show at `instant`.
    public func wallClock(at instant: Int) -> WallClockTime {
        WallClockTime(naiveSeconds: instant + offsetSeconds(at: instant))
    }

    /// The first whole-minute instant whose wall-clock reading is at or after `wall`,
    /// found by bisection between the earliest and latest candidate instants.
    private func gapEnd(after wall: Int, offsets: Set<Int>) -> Int {
        let earliest = wall - (offsets.max() ?? 0)
        let latest = wall - (offsets.min() ?? 0)
        var low = GregorianCalendar.floorDivide(earliest, 60)
        var high = GregorianCalendar.floorDivide(latest, 60) + 1
        while low < high {
            let middle = low + (high - low) / 2
            let instant = middle * 60
            if instant + offsetSeconds(at: instant) >= wall {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low * 60
    }
}
