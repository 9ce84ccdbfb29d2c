import Foundation

/// Maps wall-clock readings to instants in one time zone, including DST edge cases.
///
/// A wall-clock reading can correspond to one instant (the normal case), two (the
/// repeated hour when clocks go back) or none (the skipped hour when clocks go
/// forward). The schedule search needs to know which, so it can fire once per real
/// instant and decide what to do about skipped times.
struct CronZoneMap: Sendable {
    /// The zone whose offsets are consulted.
    let timeZone: TimeZone

    /// Where a wall-clock reading lands on the timeline.
    enum Resolution: Equatable {
        /// The instants (seconds since 1970, ascending) showing this reading: one
        /// normally, two inside a fall-back overlap.
        case instants([Int])
        /// The reading is skipped by a spring-forward gap; `end` is the first whole
        /// minute after the gap, i.e. the instant the clocks jumped.
        case gap(end: Int)
    }

    /// The zone's offset from UTC, in seconds, at an instant.
    func offset(at instant: Int) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
    }

    /// Finds the instants at which the zone's clocks read `wall` (naive seconds).
    ///
    /// Offsets in force a day either side are the only candidates: zones change
    /// offset at most once within such a window in practice.
    func resolve(wall: Int) -> Resolution {
        let candidates = Set([offset(at: wall - 86_400), offset(at: wall), offset(at: wall + 86_400)])
        var instants: [Int] = []
        for candidate in candidates {
            let instant = wall - candidate
            if offset(at: instant) == candidate { instants.append(instant) }
        }
        if !instants.isEmpty { return .instants(instants.sorted()) }
        return .gap(end: gapEnd(after: wall, offsets: candidates))
    }

    /// The first whole-minute instant whose wall-clock reading is at or after `wall`,
    /// found by bisection between the earliest and latest candidate instants.
    private func gapEnd(after wall: Int, offsets: Set<Int>) -> Int {
        let earliest = wall - (offsets.max() ?? 0)
        let latest = wall - (offsets.min() ?? 0)
        var low = CronWallClock.floorDivide(earliest, 60)
        var high = CronWallClock.floorDivide(latest, 60) + 1
        while low < high {
            let middle = low + (high - low) / 2
            let instant = middle * 60
            if instant + offset(at: instant) >= wall {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low * 60
    }
}
