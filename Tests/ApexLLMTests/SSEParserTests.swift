@testable import ApexLLM
import Testing

@Suite struct SSEParserTests {
    /// Parses `bytes` fed in the given pieces, then finished.
    private static func events(_ pieces: [ArraySlice<UInt8>]) -> [SSEEvent] {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for piece in pieces { events += parser.feed(piece) }
        return events + parser.finish()
    }

    private static func events(_ text: String) -> [SSEEvent] { events([ArraySlice(Array(text.utf8))]) }

    static let cases: [(name: String, stream: String, expected: [SSEEvent])] = [
        ("one data line", "data: hello\n\n", [SSEEvent(data: "hello")]),
        ("named event", "event: ping\ndata: {}\n\n", [SSEEvent(event: "ping", data: "{}")]),
        ("data lines join with a newline", "data: a\ndata: b\n\n", [SSEEvent(data: "a\nb")]),
        ("no space after the colon", "data:x\n\n", [SSEEvent(data: "x")]),
        ("only one space is stripped", "data:  two\n\n", [SSEEvent(data: " two")]),
        ("CRLF endings", "event: e\r\ndata: x\r\n\r\n", [SSEEvent(event: "e", data: "x")]),
        ("CR endings", "data: x\rdata: y\r\r", [SSEEvent(data: "x\ny")]),
        ("comments are ignored", ": keep-alive\ndata: x\n: more\n\n", [SSEEvent(data: "x")]),
        ("an event with no data is not delivered", "event: lonely\n\ndata: x\n\n", [SSEEvent(data: "x")]),
        ("the event name does not carry over", "event: a\ndata: 1\n\ndata: 2\n\n", [SSEEvent(event: "a", data: "1"), SSEEvent(data: "2")]),
        ("empty data", "data:\n\n", [SSEEvent(data: "")]),
        ("a field without a colon", "data\n\n", [SSEEvent(data: "")]),
        ("other fields are ignored", "id: 7\nretry: 10\ndata: x\n\n", [SSEEvent(data: "x")]),
        ("a colon in the value stays", "data: {\"a\": 1}\n\n", [SSEEvent(data: "{\"a\": 1}")]),
        ("several blank lines", "\n\ndata: x\n\n\n\ndata: y\n\n", [SSEEvent(data: "x"), SSEEvent(data: "y")]),
        ("a byte order mark is dropped", "\u{FEFF}data: x\n\n", [SSEEvent(data: "x")]),
        ("a last event without its blank line", "data: [DONE]\n", [SSEEvent(data: "[DONE]")]),
        ("a line cut off by the end is dropped", "data: a\n\ndata: [DO", [SSEEvent(data: "a")]),
        ("multibyte text", "data: héllo ✓ 🎉 日本\n\n", [SSEEvent(data: "héllo ✓ 🎉 日本")]),
    ]

    @Test(arguments: cases)
    func parsesAStream(name: String, stream: String, expected: [SSEEvent]) {
        #expect(Self.events(stream) == expected, "\(name)")
    }

    /// A stream with every feature: named events, CRLF and CR, comments, multibyte characters.
    static let sample = "\u{FEFF}: hello\r\nevent: message_start\r\ndata: {\"t\":\"é🎉\"}\r\n\r\n"
        + "data: line one\ndata:line two\n\n: ping\n\rdata: 日本語\r\rdata: [DONE]\n\n"
    static let sampleEvents = [
        SSEEvent(event: "message_start", data: "{\"t\":\"é🎉\"}"), SSEEvent(data: "line one\nline two"),
        SSEEvent(data: "日本語"), SSEEvent(data: "[DONE]"),
    ]

    @Test func givesTheSameEventsWhereverTheBytesAreSplitOnce() {
        let bytes = Array(Self.sample.utf8)
        #expect(Self.events([bytes[...]]) == Self.sampleEvents)
        for split in 0...bytes.count {
            #expect(Self.events([bytes[..<split], bytes[split...]]) == Self.sampleEvents, "split at byte \(split)")
        }
    }

    @Test func givesTheSameEventsWhereverTheBytesAreSplitTwice() {
        let bytes = Array(Self.sample.utf8)
        for first in 0...bytes.count {
            for second in first...bytes.count {
                let pieces = [bytes[..<first], bytes[first..<second], bytes[second...]]
                #expect(Self.events(pieces) == Self.sampleEvents, "split at bytes \(first) and \(second)")
            }
        }
    }

    @Test func givesTheSameEventsFedOneByteAtATime() {
        let pieces = Array(Self.sample.utf8).map { [$0][...] }
        #expect(Self.events(pieces) == Self.sampleEvents)
    }

    @Test func deliversEachEventAsSoonAsItsBlankLineArrives() {
        var parser = SSEParser()
        #expect(parser.feed(Array("data: a\n".utf8)).isEmpty)
        #expect(parser.feed(Array("\n".utf8)) == [SSEEvent(data: "a")])
        // A CR may be followed by an LF of the same line ending: the event is delivered anyway.
        #expect(parser.feed(Array("data: b\r\r".utf8)) == [SSEEvent(data: "b")])
        #expect(parser.feed(Array("\ndata: c\n\n".utf8)) == [SSEEvent(data: "c")])
    }
}
