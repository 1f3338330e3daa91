import ApexDSL
import Foundation
import Testing

/// The checks of the PostgreSQL fault tests find what they look for: a history or a call log
/// that breaks a rule is reported.
@Suite struct HistoryAuditTests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
    }

    /// One event as `apex history --json` prints it.
    static func event(_ seq: Int, _ type: String, _ fields: String = "") -> JSONValue {
        let extra = fields.isEmpty ? "" : "," + fields
        return try! JSONValue(parsing: #"{"seq":\#(seq),"type":"\#(type)","at":"2026-12-05T10:00:00.\#(String(format: "%03d", seq))Z"\#(extra)}"#)
    }

    /// A run of one llm step `draft`, started by pid 10, completed.
    static var clean: [JSONValue] {
        [event(1, "RunStarted"),
         event(2, "StepScheduled", #""step":"draft","visit":1,"attempt":1,"kind":"llm""#),
         event(3, "StepStarted", #""step":"draft","visit":1,"attempt":1,"worker":"vm:10""#),
         event(4, "StepCompleted", #""step":"draft","visit":1,"attempt":1"#),
         event(5, "RunCompleted")]
    }

    func log(_ lines: String...) throws -> String {
        try folder.write("calls-\(UUID().uuidString).log", lines.map { $0 + "\n" }.joined())
    }

    @Test func aCleanHistoryAndLogHaveNoProblem() throws {
        let audit = HistoryAudit(histories: ["r": Self.clean])
        #expect(audit.violations(completedSteps: ["draft"]).isEmpty)
        #expect(audit.callLogViolations([10: try log("draft 1 1")]).isEmpty)
        #expect(audit.completedAttempts == [10: ["draft 1 1": 1]])
    }

    @Test func aStepCompletedTwiceOrStartedAfterItCompletedIsReported() {
        var history = Self.clean.dropLast()
        history += [Self.event(5, "StepStarted", #""step":"draft","visit":1,"attempt":2,"worker":"vm:11""#),
                    Self.event(6, "StepCompleted", #""step":"draft","visit":1,"attempt":2"#),
                    Self.event(7, "RunCompleted")]
        let problems = HistoryAudit(histories: ["r": Array(history)]).violations(completedSteps: ["draft"])
        #expect(problems.contains("r: event 5 starts draft 1 2 after draft 1 completed"))
        #expect(problems.contains("r: draft 1 completed 2 times"))
    }

    @Test func anUnfinishedRunAGapOrAMissingStepIsReported() {
        let unfinished = HistoryAudit(histories: ["r": Array(Self.clean.dropLast())]).violations(completedSteps: ["draft"])
        #expect(unfinished == ["r: ends with StepCompleted, not RunCompleted"])
        var gap = Self.clean
        gap.remove(at: 1)
        #expect(HistoryAudit(histories: ["r": gap]).violations(completedSteps: ["draft"]).contains("r: seqs are not 1…4"))
        #expect(HistoryAudit(histories: ["r": Self.clean]).violations(completedSteps: ["draft", "nap"])
            == [#"r: completed steps ["draft"], expected ["draft", "nap"]"#])
    }

    @Test func anAttemptThatEndedTwiceOrCompletedUnstartedIsReported() {
        var history = Self.clean
        history.insert(Self.event(4, "StepFailed", #""step":"draft","visit":1,"attempt":1"#), at: 3)
        let renumbered = history.enumerated().map { index, event in
            Self.event(index + 1, event["type"]?.stringValue ?? "", Self.fields(of: event))
        }
        #expect(HistoryAudit(histories: ["r": renumbered]).violations(completedSteps: ["draft"]).contains("r: attempt draft 1 1 ended twice"))
        var unstarted = Self.clean
        unstarted.remove(at: 2)
        let renumberedUnstarted = unstarted.enumerated().map { index, event in
            Self.event(index + 1, event["type"]?.stringValue ?? "", Self.fields(of: event))
        }
        #expect(HistoryAudit(histories: ["r": renumberedUnstarted]).violations(completedSteps: ["draft"])
            .contains("r: attempt draft 1 1 completed but never started"))
    }

    @Test func callsLoggedTooOftenOrTooRarelyOrByStrangersAreReported() throws {
        let audit = HistoryAudit(histories: ["r": Self.clean])
        #expect(audit.callLogViolations([10: try log("draft 1 1", "draft 1 1")])
            == ["worker 10 logged 2 call(s) of draft 1 1 but started it 1 time(s)"])
        #expect(audit.callLogViolations([10: try log()]) == ["worker 10 completed draft 1 1 1 time(s) but logged 0 call(s)"])
        #expect(audit.callLogViolations([11: try log()]).contains("StepStarted by pid 10, which is none of the workers"))
    }

    /// The fields of an event other than seq, type and at, as JSON members.
    static func fields(of event: JSONValue) -> String {
        (event.objectValue ?? [:]).filter { !["seq", "type", "at"].contains($0.key) }
            .map { "\"\($0.key)\":\($0.value.compactJSON)" }.joined(separator: ",")
    }
}
