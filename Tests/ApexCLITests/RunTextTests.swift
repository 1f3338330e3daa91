import ApexDSL
import ArgumentParser
import ApexEngine
import Foundation
import Testing

@testable import ApexCLI

/// `RunText` renders `apex show`, `apex runs` and `apex history` from their JSON so that a local
/// store and a server print the same bytes. These tests pin it to what the commands printed
/// when they rendered the store's records directly (the `reference…` functions are that code,
/// with the start printed as its age since).
@Suite struct RunTextTests {
    static let now = Timestamp(milliseconds: 1_796_000_000_000)
    static let started = Timestamp(milliseconds: 1_795_999_000_000)

    static let records: [(RunRecord, [StepRecord])] = {
        let at = started
        let steps = [
            StepRecord(key: "classify", stateID: 0, visit: 1, status: .completed, attempts: 2, startedAt: at,
                       finishedAt: Timestamp(milliseconds: at.milliseconds + 1_234), output: ["text": "billing"],
                       usage: Usage(inputTokens: 300, outputTokens: 112)),
            StepRecord(key: "each[2]/summarize", stateID: 3, visit: 2, status: .running, attempts: 1,
                       startedAt: Timestamp(milliseconds: at.milliseconds + 65_000)),
            StepRecord(key: "approval", stateID: 1, visit: 1, status: .waiting, attempts: 1, startedAt: Timestamp(milliseconds: at.milliseconds + 2_000)),
            StepRecord(key: "stop", stateID: 2, visit: 1, status: .failed, attempts: 3, startedAt: at, finishedAt: at,
                       error: RunError(type: "Refused", message: "no \"quotes\" here")),
        ]
        return [
            (RunRecord(id: "r-running", workflow: "triage", definitionHash: String(repeating: "ab", count: 32), input: ["ticket": "Mon café ☕"],
                       currentStep: "approval", startedAt: at), Array(steps.prefix(3))),
            (RunRecord(id: "r-done", workflow: "triage", definitionHash: "0123456789abcdef", status: .completed, input: [:], output: ["n": 1.5, "ok": true],
                       startedAt: at, finishedAt: Timestamp(milliseconds: at.milliseconds + 3_723_000)), [steps[0]]),
            (RunRecord(id: "r-null", workflow: "w", definitionHash: "h", status: .completed, input: .null, output: .null, startedAt: at,
                       finishedAt: at), []),
            (RunRecord(id: "r-failed", workflow: "refuse", definitionHash: "feed", status: .failed, input: [:],
                       error: RunError(type: "Refused", message: "not today", step: "stop", attempt: 3), startedAt: at,
                       finishedAt: Timestamp(milliseconds: at.milliseconds + 90_061_000)), [steps[3]]),
            (RunRecord(id: "r-child", workflow: "child", definitionHash: "beef", status: .cancelled, input: [1, 2], startedAt: at,
                       finishedAt: Timestamp(milliseconds: at.milliseconds + 999), parentRunID: "r-done"), []),
        ]
    }()

    @Test func showPrintsWhatItPrintedFromTheRecord() {
        for (record, steps) in Self.records {
            #expect(RunText.show(RunJSON.detail(record, steps: steps), now: Self.now) == Self.referenceShow(record, steps: steps, now: Self.now),
                    "\(record.id)")
        }
    }

    @Test func showReadsTheSameFromTheJSONTextAServerSends() throws {
        for (record, steps) in Self.records {
            let overTheWire = try JSONValue(parsing: RunJSON.detail(record, steps: steps).compactJSON)
            #expect(RunText.show(overTheWire, now: Self.now) == Self.referenceShow(record, steps: steps, now: Self.now), "\(record.id)")
        }
    }

    @Test func runsPrintsWhatItPrintedFromTheRecords() throws {
        let records = Self.records.map(\.0)
        #expect(RunText.runs(records.map(RunJSON.record), now: Self.now) == Self.referenceRuns(records, now: Self.now))
        let overTheWire = try records.map { try JSONValue(parsing: RunJSON.record($0).compactJSON) }
        #expect(RunText.runs(overTheWire, now: Self.now) == Self.referenceRuns(records, now: Self.now))
    }

    @Test func historyLinesAreWhatTheyWereFromTheEvents() throws {
        let lines = [
            #"{"seq":1,"type":"RunStarted","at":"2026-12-05T09:15:41.815Z","workflow":"w","definition_hash":"abc","input":{"a":[1,2.5,null]},"started_at":"2026-12-05T09:15:41.815Z","format":2,"path":"/tmp/w.yaml","llm_routing":{"mock":true}}"#,
            #"{"seq":2,"type":"StepScheduled","at":"2026-12-05T09:15:41.816Z","step":"classify","visit":1,"attempt":1,"kind":"llm"}"#,
            #"{"seq":3,"type":"StepStarted","at":"2026-12-05T09:15:41.817Z","step":"classify","visit":1,"attempt":1,"worker":"host:42"}"#,
            #"{"seq":4,"type":"StepFailed","at":"2026-12-05T09:15:41.818Z","step":"classify","visit":1,"attempt":1,"error":{"type":"llm.rate_limited","message":"slow \"down\"\n","step":"classify","attempt":1,"details":null},"retry_at":"2026-12-05T09:15:42.818Z"}"#,
            #"{"seq":5,"type":"TimerStarted","at":"2026-12-05T09:15:41.818Z","timer":"retry:classify#1.1","fire_at":"2026-12-05T09:15:42.818Z"}"#,
            #"{"seq":6,"type":"TimerFired","at":"2026-12-05T09:15:42.820Z","timer":"retry:classify#1.1"}"#,
            #"{"seq":7,"type":"StepCompleted","at":"2026-12-05T09:15:43.000Z","step":"classify","visit":1,"attempt":2,"output":{"text":"é ☕"},"usage":{"input_tokens":3,"output_tokens":4}}"#,
            #"{"seq":8,"type":"SignalReceived","at":"2026-12-05T09:15:44.000Z","name":"go","payload":null,"signal_id":"s-1"}"#,
            #"{"seq":9,"type":"SignalConsumed","at":"2026-12-05T09:15:44.001Z","step":"gate","visit":1,"signal_id":"s-1"}"#,
            #"{"seq":10,"type":"CancelRequested","at":"2026-12-05T09:15:45.000Z","reason":null}"#,
            #"{"seq":11,"type":"RunCancelled","at":"2026-12-05T09:15:45.001Z"}"#,
        ]
        for line in lines {
            let event = try Event(json: try JSONValue(parsing: line))
            let reference = "\(event.seq)  \(event.at)  \(event.kind.type)  " + event.kind.fields.map { "\($0.0)=\($0.1.compactJSON)" }.joined(separator: " ")
            #expect(RunText.historyLine(event.json) == reference)
            // A stream's event carries `run_id` too; it is not one of the event's fields.
            var streamed = event.json.objectValue ?? [:]
            streamed["run_id"] = "r-1"
            #expect(RunText.historyLine(try JSONValue(parsing: JSONValue.object(streamed).compactJSON)) == reference)
        }
    }

    @Test func outputAndExitStatusFollowTheRecord() {
        #expect(RunText.output(of: RunJSON.record(Self.records[2].0)) == .null)
        #expect(RunText.output(of: RunJSON.record(Self.records[3].0)) == nil)
        #expect(RunText.output(of: RunJSON.record(Self.records[0].0)) == nil)
        #expect(Self.records.map { ExitCode(runStatus: RunText.status(of: RunJSON.record($0.0))).rawValue } == [0, 0, 0, 1, 3])
        let detail = RunJSON.detail(Self.records[1].0, steps: Self.records[1].1)
        #expect(RunText.record(fromDetail: detail) == RunJSON.record(Self.records[1].0))
    }

    @Test func watchLinesNameEachChangedStepAndTheEnd() {
        let (record, steps) = Self.records[0]
        let before = RunJSON.detail(record, steps: steps)
        var finished = steps
        finished[2].status = .completed
        finished[2].finishedAt = Timestamp(milliseconds: Self.started.milliseconds + 4_500)
        var done = record
        done.status = .failed
        done.error = RunError(type: "Refused", message: "no")
        let after = RunJSON.detail(done, steps: finished + [StepRecord(key: "next", stateID: 5, visit: 1, status: .scheduled, attempts: 1,
                                                                          startedAt: Timestamp(milliseconds: Self.started.milliseconds + 4_600))])
        #expect(RunWatch.changes(from: before, to: after, now: Self.now) == [
            "2026-11-30T00:36:44Z  approval  completed  (attempt 1, 2.5s)",
            "2026-11-30T00:36:44Z  next  scheduled  (attempt 1, 16m35s)",
            "run r-running failed: Refused: no",
        ])
        #expect(RunWatch.changes(from: before, to: before, now: Self.now).isEmpty)
    }

    // MARK: The renderers as they were, on records

    static func referenceShow(_ record: RunRecord, steps: [StepRecord], now: Timestamp) -> String {
        var out = ""
        let tokens = steps.compactMap(\.usage).reduce(Usage(inputTokens: 0, outputTokens: 0), +)
        let end = record.finishedAt ?? now
        out += "run       \(record.id)\n"
        out += "workflow  \(record.workflow) (\(record.definitionHash.prefix(12)))\n"
        out += "status    \(record.status.rawValue)\(record.currentStep.map { " at \($0)" } ?? "")\n"
        out += "started   \(record.startedAt), \(RelativeAge.text(from: record.startedAt, now: now))  (\(TextTable.duration(milliseconds: end.milliseconds - record.startedAt.milliseconds)))\n"
        out += "tokens    \(tokens.inputTokens) in, \(tokens.outputTokens) out\n"
        out += "input     \(record.input.compactJSON)\n"
        if let output = record.output { out += "output    \(output.compactJSON)\n" }
        if let error = record.error { out += "error     \(error.type): \(error.message)\n" }
        var rows = [["STEP", "STATUS", "ATTEMPTS", "DURATION", "TOKENS"]]
        for step in steps {
            let duration = TextTable.duration(milliseconds: (step.finishedAt ?? end).milliseconds - step.startedAt.milliseconds)
            let tokens = step.usage.map { "\($0.inputTokens + $0.outputTokens)" } ?? "-"
            rows.append([step.key, step.status.rawValue, "\(step.attempts)", duration, tokens])
        }
        return out + "\n" + TextTable.render(rows)
    }

    static func referenceRuns(_ runs: [RunRecord], now: Timestamp) -> String {
        var rows = [["ID", "WORKFLOW", "STATUS", "STEP", "STARTED", "DURATION"]]
        for run in runs {
            let end = run.finishedAt ?? now
            rows.append([run.id, run.workflow, run.status.rawValue, run.currentStep ?? "-", RelativeAge.text(from: run.startedAt, now: now),
                         TextTable.duration(milliseconds: end.milliseconds - run.startedAt.milliseconds)])
        }
        return TextTable.render(rows)
    }

    @Test func theRunsTableShowsTheStartAsAnAge() {
        let table = RunText.runs(Self.records.map { RunJSON.record($0.0) }, now: Self.now)
        #expect(table.contains("16m ago"))
        #expect(!table.contains(Self.started.description))
        let show = RunText.show(RunJSON.detail(Self.records[0].0, steps: Self.records[0].1), now: Self.now)
        #expect(show.contains("started   \(Self.started), 16m ago  ("))
    }
}

/// `RelativeAge` at each boundary.
@Suite struct RelativeAgeTests {
    static let now = Timestamp(milliseconds: 1_796_000_000_000)

    static let day: Int64 = 86_400_000
    static let boundaries: [(Int64, String)] = [
        (0, "just now"),
        (9_999, "just now"),
        (-60_000, "just now"),
        (10_000, "10s ago"),
        (59_999, "59s ago"),
        (60_000, "1m ago"),
        (3_599_999, "59m ago"),
        (3_600_000, "1h ago"),
        (86_399_999, "23h ago"),
        (86_400_000, "1d ago"),
        (5 * day, "5d ago"),
        (30 * day, "30d ago"),
        (30 * day + 999, "30d ago"),
        (30 * day + 1000, "2026-10-31"),
        (400 * day, "2025-10-26"),
    ]

    @Test(arguments: boundaries)
    func ageAt(millisecondsAgo: Int64, expected: String) {
        let time = Timestamp(milliseconds: Self.now.milliseconds - millisecondsAgo)
        #expect(RelativeAge.text(from: time, now: Self.now) == expected, "\(time)")
    }
}
