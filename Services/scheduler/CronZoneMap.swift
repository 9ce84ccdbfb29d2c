import CivilTime
import Foundation

/// Foundation's time zone database as `TimeZoneRules`, so the schedule search can map
/// wall-clock readings to instants (see `TimeZoneRules.resolve(wallSeconds:)`).
struct CronZoneMap: TimeZoneRules {
    /// The zone whose offsets are consulted.
    let timeZone: TimeZone

    /// The zone's offset from UTC, in seconds, at an instant.
    func offsetSeconds(at instant: Int) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
    }
}
