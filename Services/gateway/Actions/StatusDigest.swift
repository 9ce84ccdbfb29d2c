import APIModels
import Foundation

/// A status digest for a period, as text a person reads in a mail or a chat post: jobs by
/// state, incidents opened and resolved, and the queues that hold work. A plain value, tested
/// directly.
struct StatusDigest {
    /// Jobs submitted in the period, by their state now.
    var jobs: [String: Int]
    /// Incidents first seen in the period, and resolved in it.
    var incidentsOpened: [String]
    var incidentsResolved: [String]
    /// Incidents open now.
    var incidentsOpen: Int
    /// Queues with messages waiting or dead-lettered, with their counts.
    var queues: [(name: String, ready: Int, unacked: Int)]
    /// The parts that could not be had (the text says which).
    var missing: [String] = []

    /// The subject and the text for `title` over `[start, end)`, with times in `zone`.
    func render(title: String, project: String?, start: Date, end: Date, zone: TimeZone = .gmt) -> (subject: String, text: String) {
        let format = ISO8601DateFormatter()
        format.timeZone = zone
        let total = jobs.values.reduce(0, +)
        let failed = (jobs["failed"] ?? 0) + (jobs["stalled"] ?? 0)
        let subject = "[Sluice] \(title): \(total) job\(total == 1 ? "" : "s"), \(failed) failed, "
            + "\(incidentsOpened.count) incident\(incidentsOpened.count == 1 ? "" : "s") opened"
        var lines = ["Sluice status digest: \(title)" + (project.map { " (project \($0))" } ?? ""),
                     "Period: \(format.string(from: start)) to \(format.string(from: end))", ""]
        lines.append("Jobs submitted: \(total)")
        for state in jobs.keys.sorted() { lines.append("  \(state): \(jobs[state] ?? 0)") }
        lines.append("")
        lines.append("Incidents opened: \(incidentsOpened.count); resolved: \(incidentsResolved.count); open now: \(incidentsOpen)")
        for title in incidentsOpened.prefix(10) { lines.append("  opened: \(title)") }
        for title in incidentsResolved.prefix(10) { lines.append("  resolved: \(title)") }
        lines.append("")
        if queues.isEmpty {
            lines.append("Queues: nothing waiting")
        } else {
            lines.append("Queues holding messages:")
            for queue in queues { lines.append("  \(queue.name): \(queue.ready) ready, \(queue.unacked) in progress") }
        }
        if !missing.isEmpty { lines += ["", "Not available when the digest was made: " + missing.joined(separator: ", ")] }
        return (subject, lines.joined(separator: "\n"))
    }
}
