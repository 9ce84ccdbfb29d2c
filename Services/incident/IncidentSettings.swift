import Contracts
import Runtime

/// The incident service's own settings (`incident.*`), read once in the composition root.
struct IncidentSettings: Sendable {
    /// Counts at which an incident alerts again (each once).
    var alertThresholds: [Int]
    /// Default re-drive rate after the canary, messages per second.
    var redriveRate: Double
    /// How long a canary may take before the re-drive stops as inconclusive.
    var canaryTimeout: Duration
    /// How often the re-drive worker looks for work.
    var redriveTick: Duration

    init(values: ConfigValues) throws {
        let thresholds = values.list("incident.alert.thresholds", ["10", "100", "1000", "10000"])
        alertThresholds = try thresholds.map {
            guard let n = Int($0), n > 1 else {
                throw SluiceError.permanent("config.invalid-threshold",
                                            "incident.alert.thresholds lists counts above 1, got '\($0)'")
            }
            return n
        }.sorted()
        redriveRate = try values.double("incident.redrive.rate", 10)
        guard redriveRate > 0 else {
            throw SluiceError.permanent("config.invalid-rate", "incident.redrive.rate must be above 0")
        }
        canaryTimeout = .milliseconds(try values.int("incident.redrive.canary.timeout.ms", 300_000))
        redriveTick = .milliseconds(try values.int("incident.redrive.tick.ms", 200))
    }

    /// The highest threshold `count` reached that was not alerted yet.
    func crossed(count: Int, alerted: Int) -> Int? {
        alertThresholds.last { $0 <= count && $0 > alerted }
    }
}
