import Contracts
import Foundation
import Outbound

/// Polls the metrics service and notes when each stage finished the job's chunks.
struct StageMarks {
    var ingested: Double?
    var validated: Double?
    var transformed: Double?
    var published: Double?
    var state = ""
}

enum StageClock {
    struct Progress: Decodable {
        var state: String
        var chunksTotal: Int?
        var chunksValidated: Int
        var chunksTransformed: Int
        var rowsValid: Int
        var rowsInvalid: Int
    }

    static func follow(jobId: String, started: Date, timeout: Double) async throws -> StageMarks {
        var marks = StageMarks()
        let deadline = started.addingTimeInterval(timeout)
        while Date() < deadline {
            let result = try await Outbound.get(url: "http://127.0.0.1:8086/jobs/\(jobId)")
            if result.status == 200 {
                let p = try JSONCoding.decoder().decode(Progress.self, from: Data(result.body))
                let now = Date().timeIntervalSince(started)
                if let total = p.chunksTotal {
                    if marks.ingested == nil { marks.ingested = now }
                    if marks.validated == nil && p.chunksValidated >= total { marks.validated = now }
                    if marks.transformed == nil && p.chunksTransformed >= total { marks.transformed = now }
                }
                marks.state = p.state
                if p.state == "published" || p.state == "failed" {
                    marks.published = now
                    return marks
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return marks
    }
}
