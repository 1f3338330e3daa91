import ApexDSL
import Foundation
import Testing

/// The built binary running workflows on a real SQLite file: crashes by SIGKILL at awkward
/// moments, then `apex resume`; signals sent while no process runs; several workers on one
/// store. The mock provider logs every call, so "ran exactly once" is counted, not assumed.
@Suite(.enabled(if: ApexBinary.url != nil, "the apex executable has not been built"), .serialized, .timeLimit(.minutes(3)))
struct EngineEndToEndTests: BinaryWorkspace {
    let folder: TemporaryFolder
    let environment: [String: String]

    init() throws {
        folder = try TemporaryFolder()
        environment = Self.environment(in: folder)
        try folder.write("crash-sleep.yaml", """
            apex: 1
            name: crash-sleep
            llm: {provider: mock}
            steps:
              - id: before
                llm: {prompt: first}
              - id: nap
                sleep: 3s
              - id: after
                llm: {prompt: "second after ${{ steps.before.output.text }}"}
            output:
              first: ${{ steps.before.output.text }}
              second: ${{ steps.after.output.text }}
            """)
        try folder.write("approval.yaml", """
            apex: 1
            name: approval
            steps:
              - id: approval
                wait:
                  signal: approve
                  schema: {type: object, required: [approved], properties: {approved: {type: boolean}}}
              - id: done
                set: {approved: "${{ steps.approval.output.approved }}"}
            output: ${{ steps.done.output.approved }}
            """)
        try folder.write("fanout.yaml", """
            apex: 1
            name: fanout
            llm: {provider: mock}
            steps:
              - id: each
                foreach:
                  in: ${{ [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] }}
                  concurrency: 4
                  steps:
                    - id: think
                      llm: {prompt: "item ${{ item }}"}
                    - id: rest
                      sleep: 500ms
            output: ${{ length(steps.each.output) }}
            """)
        try folder.write("failing.yaml", """
            apex: 1
            name: failing
            input: {type: object, required: [n], properties: {n: {type: integer}}}
            steps:
              - id: stop
                fail: {error: Refused, message: "n was ${{ input.n }}"}
            """)
        try folder.write("nest.yaml", """
            apex: 1
            name: nest
            steps:
              - id: call
                workflow: {name: napper, input: {topic: cats}}
            output: ${{ steps.call.output.text }}
            """)
        try folder.write("napper.yaml", """
            apex: 1
            name: napper
            llm: {provider: mock}
            steps:
              - id: draft
                llm: {prompt: "${{ input.topic }}"}
              - id: nap
                sleep: 2s
              - id: polish
                llm: {prompt: "polish ${{ steps.draft.output.text }}"}
            output: {text: "${{ steps.polish.output.text }}"}
            """)
        try folder.write("long.yaml", "apex: 1\nname: long\nsteps:\n  - id: nap\n    sleep: 1h\n")
    }

    /// Every llm call is one StepStarted of the histories, and every step completed once.
    private func expectEachCallRecorded(_ runs: String...) async throws {
        try await expectEachCallRecorded(runs)
    }

    private func expectEachCallRecorded(_ runs: [String]) async throws {
        var started: [String: Int] = [:]
        var completed: [String: Int] = [:]
        var events: [JSONValue] = []
        for run in runs { events += try await history(run) }
        for event in events {
            guard let step = event["step"]?.stringValue else { continue }
            if event["type"] == "StepStarted" { started[step, default: 0] += 1 }
            if event["type"] == "StepCompleted" { completed[step, default: 0] += 1 }
        }
        #expect(calls() == started)
        #expect(completed.values.allSatisfy { $0 == runs.count })
    }

    @Test func runCompletesAndPrintsItsOutput() async throws {
        let result = try await apex("run", "crash-sleep.yaml", "--mock-llm", "--id", "plain")
        #expect(result.status == 0, "\(result.error)")
        let output = try JSONValue(parsing: result.output)
        #expect(output["first"] == "Mock reply to: first")
        #expect(result.error.contains("✓ before"))
        #expect(calls() == ["before": 1, "after": 1])
    }

    @Test func killDuringASleepThenResumeFiresTheTimerOnTimeAndRepeatsNothing() async throws {
        let first = try background("run", "crash-sleep.yaml", "--mock-llm", "--id", "sleepy")
        try await waitFor("sleepy", event: "TimerStarted")
        first.kill()
        let resumed = try await apex("resume", "sleepy", "--mock-llm")
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(try JSONValue(parsing: resumed.output)["second"] == "Mock reply to: second after Mock reply to: first")
        #expect(calls() == ["before": 1, "after": 1])
        let events = try await history("sleepy")
        let fireAt = events.first { $0["type"] == "TimerStarted" }?["fire_at"]?.stringValue ?? ""
        let fired = events.first { $0["type"] == "TimerFired" }?["at"]?.stringValue ?? ""
        #expect(!fired.isEmpty && fired >= fireAt)
    }

    @Test func killDuringAChildRunThenResumeFinishesThatChildAndRepeatsNothing() async throws {
        let first = try background("run", "nest.yaml", "--mock-llm", "--id", "nest")
        try await waitFor("nest.call.1", event: "TimerStarted")
        first.kill()
        let resumed = try await apex("resume", "nest", "--mock-llm")
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(resumed.output.trimmingCharacters(in: .whitespacesAndNewlines) == "\"Mock reply to: polish Mock reply to: cats\"")
        #expect(calls() == ["draft": 1, "polish": 1])
        // The interrupted attempt's child was finished, not started again for the retry.
        let runs = try JSONValue(parsing: await apex("runs", "--json").output).arrayValue ?? []
        #expect(runs.compactMap { $0["id"]?.stringValue }.sorted() == ["nest", "nest.call.1"])
        try await expectEachCallRecorded("nest.call.1")
    }

    @Test func killDuringAForeachWithConcurrencyFourThenResume() async throws {
        let first = try background("run", "fanout.yaml", "--mock-llm", "--id", "fan")
        try await waitFor("fan", event: "StepCompleted", step: "each[5]/think")
        first.kill()
        let resumed = try await apex("resume", "fan", "--mock-llm")
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(resumed.output.trimmingCharacters(in: .whitespacesAndNewlines) == "12")
        try await expectEachCallRecorded("fan")
        #expect(calls().count == 12)
    }

    @Test func signalsSentWhileNoProcessRunsAreConsumedOnResume() async throws {
        let first = try background("run", "approval.yaml", "--id", "gate")
        try await waitFor("gate", event: "StepScheduled", step: "approval")
        first.kill()
        #expect(try await apex("signal", "gate", "approve", "--data", #"{"approved": "yes"}"#).status == 1)
        #expect(try await apex("signal", "gate", "reject").status == 1)
        #expect(try await apex("signal", "no-such-run", "approve").status == 2)
        #expect(try await apex("signal", "gate", "approve", "--data", #"{"approved": true}"#).status == 0)
        let resumed = try await apex("resume", "gate")
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(resumed.output.trimmingCharacters(in: .whitespacesAndNewlines) == "true")
        #expect(try await apex("signal", "gate", "approve", "--data", #"{"approved": true}"#).status == 1)
    }

    @Test func exitStatusesFollowTheRunsEnd() async throws {
        #expect(try await apex("run", "failing.yaml", "-i", "n=3").status == 1)
        #expect(try await apex("run", "failing.yaml", "-i", "n=three").status == 2)
        #expect(try await apex("run", "failing.yaml").status == 2)
        let detached = try await apex("run", "long.yaml", "--detach", "--id", "long-one")
        #expect(detached.status == 0)
        #expect(detached.output == "long-one\n")
        #expect(try await apex("cancel", "long-one", "--reason", "test").status == 0)
        #expect(try await apex("resume", "long-one").status == 3)
        #expect(try await apex("cancel", "nobody").status == 2)
        #expect(try await apex("show", "nobody").status == 2)
        #expect(try await apex("history", "nobody").status == 2)
    }

    @Test func startsWithTheSameIDAttachToOneRun() async throws {
        #expect(try await apex("run", "long.yaml", "--detach", "--id", "once").status == 0)
        #expect(try await apex("run", "long.yaml", "--detach", "--id", "once").status == 0)
        let runs = try JSONValue(parsing: await apex("runs", "--json").output)
        #expect(runs.arrayValue?.filter { $0["id"] == "once" }.count == 1)
    }

    @Test func twoWorkersShareAStoreAndNeverDriveARunTwice() async throws {
        var ids: [String] = []
        for index in 0..<8 {
            #expect(try await apex("run", "crash-sleep.yaml", "--detach", "--id", "w\(index)").status == 0)
            ids.append("w\(index)")
        }
        let workers = [try background("worker", "--mock-llm", "--concurrency", "4"), try background("worker", "--mock-llm", "--concurrency", "4")]
        for id in ids { try await waitFor(id, event: "RunCompleted", within: 60) }
        for worker in workers { worker.terminate() }
        for worker in workers { #expect(try await worker.wait().status == 0) }
        try await expectEachCallRecorded(ids)
        #expect(calls().values.allSatisfy { $0 == 8 })
    }

    @Test func replayReportsDivergenceOfAnEditedDefinition() async throws {
        #expect(try await apex("run", "crash-sleep.yaml", "--mock-llm", "--id", "recorded").status == 0)
        #expect(try await apex("replay", "recorded").status == 0)
        let original = try String(contentsOfFile: folder.path + "/crash-sleep.yaml", encoding: .utf8)
        try folder.write("edited.yaml", original.replacingOccurrences(of: "id: after", with: "id: later")
            .replacingOccurrences(of: "steps.after.", with: "steps.later."))
        let diverged = try await apex("replay", "recorded", "--workflow", "edited.yaml")
        #expect(diverged.status == 1)
        #expect(diverged.output.contains("APEX-R001"))
        try folder.write("recorded.jsonl", try await apex("history", "recorded", "--json").output)
        #expect(try await apex("replay", "--history", "recorded.jsonl", "--workflow", "crash-sleep.yaml").status == 0)
        #expect(try await apex("replay", "--history", "recorded.jsonl", "--workflow", "edited.yaml").status == 1)
        // Without --workflow, the definition the history pinned, from the store.
        #expect(try await apex("replay", "--history", "recorded.jsonl").status == 0)
        let elsewhere = try await ApexBinary.run(["replay", "--history", folder.path + "/recorded.jsonl"], in: folder.path,
                                                 environment: ["APEX_HOME": folder.path + "/empty-home", "NO_COLOR": "1"])
        #expect(elsewhere.status == 2)
        #expect(elsewhere.error.contains("is not in the store; give --workflow FILE"))
        #expect(try await apex("replay", "nobody").status == 2)
    }

    @Test func aRunKeepsItsPinnedDefinitionWhenTheFileIsEdited() async throws {
        #expect(try await apex("run", "approval.yaml", "--detach", "--id", "pinned").status == 0)
        let original = try String(contentsOfFile: folder.path + "/approval.yaml", encoding: .utf8)
        try folder.write("approval.yaml", original.replacingOccurrences(of: "id: done", with: "id: finished")
            .replacingOccurrences(of: "steps.done.", with: "steps.finished."))
        #expect(try await apex("signal", "pinned", "approve", "--data", #"{"approved": false}"#).status == 0)
        let resumed = try await apex("resume", "pinned")
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(resumed.output.trimmingCharacters(in: .whitespacesAndNewlines) == "false")
        #expect(try await history("pinned").contains { $0["step"] == "done" })
    }

    @Test func killDuringACallRetriesThatAttemptAndNothingElse() async throws {
        try folder.write("slow.yaml", "after:\n  delay: 3s\n")
        let first = try background("run", "crash-sleep.yaml", "--llm-fixtures", "slow.yaml", "--id", "slow")
        try await waitFor("slow", event: "StepStarted", step: "after", within: 30)
        first.kill()
        let resumed = try await apex("resume", "slow", "--llm-fixtures", "slow.yaml")
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(calls() == ["before": 1, "after": 2])
        let failures = try await history("slow").filter { $0["type"] == "StepFailed" }
        #expect(failures.map { $0["error"]?["type"] } == ["worker.lost"])
        try await expectEachCallRecorded("slow")
    }

    @Test func interruptLeavesTheRunDurable() async throws {
        let first = try background("run", "approval.yaml", "--id", "ctrl-c")
        try await waitFor("ctrl-c", event: "StepScheduled", step: "approval")
        kill(first.process.processIdentifier, SIGINT)
        let result = try await first.wait()
        #expect(result.status == 130)
        #expect(result.error.contains("apex resume ctrl-c"))
        #expect(try await apex("signal", "ctrl-c", "approve", "--data", #"{"approved": true}"#).status == 0)
        #expect(try await apex("resume", "ctrl-c").status == 0)
    }

    @Test func oversizedInputsAndPayloadsAreRefused() async throws {
        let big = String(repeating: "x", count: 2 * 1024 * 1024 + 1)
        try folder.write("big.json", "{\"n\": 1, \"pad\": \"\(big)\"}")
        let refused = try await apex("run", "failing.yaml", "--input-file", "big.json")
        #expect(refused.status == 2)
        #expect(refused.error.contains("payloads may be at most 2 MiB"))
        #expect(try await apex("run", "approval.yaml", "--detach", "--id", "big-signal").status == 0)
        try folder.write("big-signal.json", "{\"approved\": true, \"pad\": \"\(big)\"}")
        let signal = try await apex("signal", "big-signal", "approve", "--data-file", "big-signal.json")
        #expect(signal.status == 1)
        #expect(signal.error.contains("payloads may be at most 2 MiB"))
    }

    @Test func aLongHistoryIsWarnedAboutOnce() async throws {
        try folder.write("spin.yaml", "apex: 1\nname: spin\ndefaults: {max_visits: 5002}\nsteps:\n  - id: a\n    set: {x: 1}\n    next: a\n")
        let result = try await apex("run", "spin.yaml")
        #expect(result.status == 1)
        #expect(result.error.components(separatedBy: "events in its history; at 50000 it fails with history.limit").count == 2)
        #expect(result.error.contains("loop.limit"))
        var quiet = environment
        quiet["LOG_LEVEL"] = "ERROR"
        let silent = try await ApexBinary.run(["run", "spin.yaml"], in: folder.path, environment: quiet)
        #expect(!silent.error.contains("warning:"))
    }
}
