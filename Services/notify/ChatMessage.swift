import Contracts
import Foundation
import Toolkit

/// Messages for chat webhooks in Slack's incoming-webhook format (`text` for notifications
/// and clients without blocks, `blocks` with the figures), which Mattermost, Rocket.Chat and
/// Discord's `/slack` endpoints also take.
enum ChatMessage {
    struct Payload: Encodable {
        var text: String
        var blocks: [Block]
    }

    struct Block: Encodable {
        struct Text: Encodable {
            var type = "mrkdwn"
            var text: String
        }

        var type: String
        var text: Text?
        var fields: [Text]?

        static func section(_ text: String) -> Block { Block(type: "section", text: Text(text: text), fields: nil) }
        static func fields(_ items: [String]) -> Block { Block(type: "section", text: nil, fields: items.map { Text(text: $0) }) }
    }

    /// `&`, `<` and `>` escaped, as Slack's mrkdwn wants.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func published(_ p: JobPublished, linksBase: String) -> Payload {
        let text = "Job *\(escape(p.job.name))* published: \(p.rowsValid) valid, \(p.rowsInvalid) invalid of \(p.rowsTotal) rows"
        let links = p.artifacts.map { artifact in
            "<\(linksBase)/jobs/\(PercentEncoding.encode(p.job.jobId))/artifacts/\(PercentEncoding.encode(artifact.name))|\(escape(artifact.name))>"
        }
        var blocks = [Block.section(":white_check_mark: " + text),
                      .fields(["*Rows in*\n\(p.rowsTotal)", "*Valid*\n\(p.rowsValid)", "*Invalid*\n\(p.rowsInvalid)",
                               "*Job*\n`\(escape(p.job.jobId))`"])]
        if !links.isEmpty { blocks.append(.section("*Artifacts*: " + links.joined(separator: " · "))) }
        return Payload(text: text, blocks: blocks)
    }

    static func failed(_ p: JobFailed) -> Payload {
        let text = "Job *\(escape(p.job.name))* failed in \(escape(p.stage)): [\(escape(p.code))] \(escape(p.reason))"
        return Payload(text: text, blocks: [.section(":x: " + text), .fields(["*Job*\n`\(escape(p.job.jobId))`",
                                                                             "*Code*\n`\(escape(p.code))`"])])
    }

    static func batch(_ p: BatchFinished) -> Payload {
        let icon = p.state == "completed" ? ":white_check_mark:" : p.state == "cancelled" ? ":no_entry_sign:" : ":x:"
        let text = "Batch *\(escape(p.name))* \(p.state): \(p.completed) of \(p.jobs) jobs completed "
            + "(success rate \(Int((p.successRate * 100).rounded()))%)"
        return Payload(text: text, blocks: [
            .section("\(icon) " + text),
            .fields(["*Failed*\n\(p.failed)", "*Cancelled*\n\(p.cancelled)", "*Rows valid*\n\(p.rowsValid)",
                     "*Batch*\n`\(escape(p.batchId))`"]),
        ])
    }

    static func digest(_ p: DigestReady) -> Payload {
        Payload(text: escape(p.subject), blocks: [.section(":bar_chart: *" + escape(p.subject) + "*"),
                                                  .section("```" + escape(p.text) + "```")])
    }

    static func incident(_ p: IncidentAlert) -> Payload {
        let text = "[\(p.severity)] Incident *\(escape(p.title))* (\(escape(p.reason)))"
        return Payload(text: text, blocks: [
            .section(":rotating_light: " + text),
            .fields(["*Service*\n\(escape(p.service))", "*Failures*\n\(p.count)", "*Error*\n`\(escape(p.errorType))`",
                     "*Incident*\n`\(escape(p.incidentId))`"]),
            .section("*Sample*: " + escape(p.sampleError) + (p.runbook.map { "\n*Runbook*: \(escape($0))" } ?? "")),
        ])
    }
}
