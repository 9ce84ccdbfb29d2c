import Outbound
import Testing

/// Server-Sent Events read as they arrive, in pieces cut anywhere.
@Suite("Event stream parser")
struct EventStreamParserTests {
    @Test("events split across pieces, comments, CRLF, multi-line data and ids")
    func parses() {
        let text = ": keep-alive\r\n\r\nid: 7\nevent: paused\ndata: {\"a\":1}\n\nevent: job\ndata: line 1\ndata: line 2\n\n: bye\n\n"
        var parser = EventStreamParser()
        var events: [EventStreamParser.Event] = []
        for byte in Array(text.utf8) { events += parser.feed([byte]) }
        #expect(events == [EventStreamParser.Event(name: "paused", data: "{\"a\":1}", id: "7"),
                           EventStreamParser.Event(name: "job", data: "line 1\nline 2")])
        var whole = EventStreamParser()
        #expect(whole.feed(Array(text.utf8)) == events, "one piece or many, the same events")
        #expect(whole.feed(Array("data: unfinished\n".utf8)).isEmpty, "no event before its blank line")
    }
}
