import Contracts
import Foundation

/// The fire time in a scheduled job: `{{scheduledDate}}`, `{{scheduledAt}}`, `{{periodStart}}`
/// and `{{periodEnd}}` in any text of the job (source URL or path, name, tags, options) are
/// replaced when the job is submitted, so "run for a date" is the same job with another date.
public enum ScheduleParameters {
    /// The values for a fire at `fireTime` whose period began at `periodStart` (the fire
    /// before it), read in `zone`: `scheduledDate` is `YYYY-MM-DD`, the others ISO 8601 with
    /// the zone's offset.
    public static func values(fireTime: Date, periodStart: Date?, zone: TimeZone) -> [String: String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let day = calendar.dateComponents([.year, .month, .day], from: fireTime)
        let date = String(format: "%04d-%02d-%02d", day.year ?? 0, day.month ?? 0, day.day ?? 0)
        let start = periodStart ?? fireTime
        return ["scheduledDate": date, "scheduledAt": timestamp(fireTime, zone), "periodStart": timestamp(start, zone),
                "periodEnd": timestamp(fireTime, zone)]
    }

    /// `job` with every `{{name}}` of `values` replaced in its texts (other placeholders stay).
    public static func apply(_ values: [String: String], to job: JobSubmit) throws -> JobSubmit {
        let encoded = String(decoding: try JSONCoding.encode(job), as: UTF8.self)
        guard encoded.contains("{{") else { return job }
        var replaced = encoded
        for (name, value) in values {
            // The values are plain ASCII dates and offsets: nothing that needs JSON escaping.
            replaced = replaced.replacingOccurrences(of: "{{\(name)}}", with: value)
        }
        return try JSONCoding.decode(JobSubmit.self, from: Array(replaced.utf8))
    }

    /// ISO 8601 with the zone's numeric offset (`2026-03-02T02:00:00+01:00`).
    public static func timestamp(_ date: Date, _ zone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withFullDate, .withTime, .withDashSeparatorInDate, .withColonSeparatorInTime]
        let offset = zone.secondsFromGMT(for: date)
        let minutes = abs(offset) / 60
        return formatter.string(from: date) + (offset < 0 ? "-" : "+") + String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }
}
