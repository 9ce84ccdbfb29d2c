import APIModels
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Runtime

/// `GET /api/v1/jobs/{job}/stream`: a job's live progress as Server-Sent Events. First the
/// job as it is (`job`), then its history from `Last-Event-ID` (or `after`) on, each entry an
/// event named by its kind with the entry's id, and a `job` event whenever its state or
/// progress changes; `end` (the job) once it has ended, then the stream closes. A comment
/// every 15 s keeps idle connections open; a stream lasts at most `maxDuration`, and a
/// reconnecting client (EventSource does this by itself) goes on from the last id it saw.
struct JobStreamRoute {
    let api: GatewayAPI
    let jobRoutes: JobRoutes
    var poll = Duration.milliseconds(200)
    var maxDuration = Duration.seconds(1800)

    func add() {
        api.add("streamJob") { request, context, access in
            let job = try await jobRoutes.job(context, access)
            let resume = request.headers[HTTPField.Name("Last-Event-ID")!].flatMap { Int($0) }
            let after = try resume ?? request.query("after", in: 0...Int.max, fallback: 0)
            let (jobs, poll, maxDuration) = (jobRoutes.jobs, self.poll, self.maxDuration)
            let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache",
                                       HTTPField.Name("X-Accel-Buffering")!: "no"]
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                var after = after
                var shown = job
                let deadline = ContinuousClock.now + maxDuration
                var quietSince = ContinuousClock.now
                try await writer.write(Self.frame("job", shown, id: nil))
                while ContinuousClock.now < deadline && !Task.isCancelled {
                    let events = try await jobs.events(job.id, after: after, limit: 500)
                    for event in events {
                        try await writer.write(Self.frame(event.kind, event, id: event.id))
                        after = event.id
                    }
                    let now = try await jobs.find(job.id) ?? shown
                    if now.state != shown.state || now.chunksDone != shown.chunksDone || now.chunks != shown.chunks {
                        try await writer.write(Self.frame("job", now, id: nil))
                        shown = now
                    }
                    if JobState(rawValue: now.state)?.isTerminal == true, events.count < 500 {
                        // The end's own history entry committed with the state: read it before ending.
                        for event in try await jobs.events(job.id, after: after, limit: 500) {
                            try await writer.write(Self.frame(event.kind, event, id: event.id))
                            after = event.id
                        }
                        try await writer.write(Self.frame("end", now, id: nil))
                        break
                    }
                    if events.isEmpty, ContinuousClock.now - quietSince > .seconds(15) {
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        quietSince = ContinuousClock.now
                    } else if !events.isEmpty {
                        quietSince = ContinuousClock.now
                    }
                    try await Task.sleep(for: poll)
                }
                try await writer.finish(nil)
            })
        }
    }

    /// One SSE event: `id:` (when the entry has one), `event:`, and the value as one `data:` line.
    static func frame(_ name: String, _ value: some Encodable, id: Int?) -> ByteBuffer {
        let json = (try? JSONCoding.encoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        var text = id.map { "id: \($0)\n" } ?? ""
        text += "event: \(name)\ndata: \(json)\n\n"
        return ByteBuffer(string: text)
    }
}
