import APIModels
import Foundation

/// This process as one replica of the scheduler: its id and its loop's state, shared by the
/// loop and `/health`.
actor SchedulerReplica {
    let id: String
    let host: String
    let pid: Int
    let startedAt = Date()
    private(set) var state = "starting"

    init() {
        host = ProcessInfo.processInfo.hostName
        pid = Int(ProcessInfo.processInfo.processIdentifier)
        // A random tail: a restarted process with a reused pid is a new replica.
        id = "\(host)-\(pid)-\(String(UInt16.random(in: .min ... .max), radix: 16))"
    }

    func set(_ state: String) { self.state = state }

    /// A replica not seen for this long is gone (it misses three heartbeats).
    static let liveFor: TimeInterval = 15
    /// How often a replica says it is alive.
    static let heartbeat: TimeInterval = 5

    /// The leader among `live` replicas: the one started first (ties by id), so leadership
    /// moves only when the leader stops or is not seen.
    static func leader(of live: [SchedulerHealth.Replica]) -> SchedulerHealth.Replica? {
        live.min { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }
}
