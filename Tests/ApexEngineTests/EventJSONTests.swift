import ApexDSL
import Testing

@testable import ApexEngine

@Suite struct EventJSONTests {
    static let at = Timestamp(milliseconds: 1_795_000_000_123)

    static let kinds: [EventKind] = [
        .runStarted(workflow: "triage", definitionHash: "abc", input: ["ticket": "x"], startedAt: at),
        .stepScheduled(step: "classify", visit: 1, attempt: 1, kind: "llm"),
        .stepStarted(step: "classify", visit: 1, attempt: 1, worker: "w1"),
        .stepCompleted(step: "classify", visit: 1, attempt: 1, output: ["text": "hi"], usage: Usage(inputTokens: 3, outputTokens: 4)),
        .stepCompleted(step: "each[2]/s", visit: 2, attempt: 1, output: nil, usage: nil),
        .stepFailed(step: "draft", visit: 1, attempt: 2, error: RunError(type: "llm.rate_limited", message: "slow down", step: "draft", attempt: 2), retryAt: at),
        .stepFailed(step: "draft", visit: 1, attempt: 3, error: RunError(type: "timeout", message: "too slow"), retryAt: nil),
        .stepSkipped(step: "pause", visit: 1),
        .timerStarted(timer: "sleep:pause#1", fireAt: at),
        .timerFired(timer: "sleep:pause#1"),
        .signalReceived(name: "approve", payload: ["approved": true], signalID: "sig1"),
        .signalConsumed(step: "approval", visit: 1, signalID: "sig1"),
        .cancelRequested(reason: "user"),
        .cancelRequested(reason: nil),
        .runCompleted(output: ["category": "bug"]),
        .runFailed(error: RunError(type: "NeedsHuman", message: "help")),
        .runCancelled,
        .runTimedOut,
    ]

    @Test(arguments: kinds)
    func roundTripsThroughJSON(_ kind: EventKind) throws {
        let event = Event(seq: 7, at: Self.at, kind: kind)
        let text = event.json.compactJSON
        #expect(try Event(json: JSONValue(parsing: text)) == event)
    }

    @Test func writesTheDocumentedShape() {
        let event = Event(seq: 2, at: Self.at, kind: .stepScheduled(step: "classify", visit: 1, attempt: 1, kind: "llm"))
        #expect(event.json.compactJSON == #"{"seq":2,"type":"StepScheduled","at":"2026-11-18T11:06:40.123Z","step":"classify","visit":1,"attempt":1,"kind":"llm"}"#)
    }

    @Test func refusesUnknownTypesAndMissingFields() {
        #expect(throws: HistoryFormatError.self) { try Event(json: ["seq": 1, "type": "RunExploded", "at": "2026-11-18T07:06:40.123Z"]) }
        #expect(throws: HistoryFormatError.self) { try Event(json: ["seq": 1, "type": "TimerFired", "at": "2026-11-18T07:06:40.123Z"]) }
        #expect(throws: HistoryFormatError.self) { try Event(json: ["seq": 1, "type": "RunCancelled", "at": "yesterday"]) }
    }
}
