import Foundation

/// Peak resident memory of each running `sluice serve <service>` process.
enum PeakRSS {
    static func services() -> [(String, Int)] {
        var result: [(String, Int)] = []
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for pid in pids where Int(pid) != nil {
            guard let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { continue }
            let args = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard args.count >= 3, args[0].hasSuffix("sluice"), args[1] == "serve",
                  let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                  let kb = Int(line.split(separator: " ").dropFirst().first ?? "") else { continue }
            result.append((args[2], kb / 1024))
        }
        return result.sorted { $0.0 < $1.0 }
    }
}

enum Report {
    static func print(rows: Int, bytes: Int, marks: StageMarks, rss: [(String, Int)]) {
        func rate(_ seconds: Double?) -> String {
            guard let seconds, seconds > 0 else { return "-" }
            return String(format: "%.1f s  %8.0f rows/s  %6.1f MB/s", seconds, Double(rows) / seconds,
                          Double(bytes) / 1_000_000 / seconds)
        }
        Swift.print("job state: \(marks.state)")
        Swift.print("stage (done at, cumulative from submit):")
        Swift.print("  ingest     \(rate(marks.ingested))")
        Swift.print("  validate   \(rate(marks.validated))")
        Swift.print("  transform  \(rate(marks.transformed))")
        Swift.print("  publish    \(rate(marks.published))   <- end to end")
        Swift.print("peak RSS per service (MiB):")
        for (service, mib) in rss { Swift.print("  \(service.padding(toLength: 10, withPad: " ", startingAt: 0)) \(mib)") }
    }
}
