import ApexCLI
import ApexDSL
import Foundation
import Testing

/// `apex --server URL …` (docs/cli.md, "Using a server"): `run`, `runs`, `show`, `history`,
/// `signal` and `cancel` against a real `apex serve` print what they print on a local store and
/// exit with the same statuses. Each comparison runs the same command on a local SQLite store.
@Suite(.enabled(if: ApexBinary.url != nil, "the apex executable has not been built"), .serialized, .timeLimit(.minutes(3)))
struct ClientModeTests: BinaryWorkspace {
    let folder: TemporaryFolder
    let environment: [String: String]
    /// `--db` of the local store the server's answers are compared with.
    let local: String

    static let quick = """
        apex: 1
        name: quick
        input: {type: object, properties: {n: {type: integer, default: 2}}}
        steps:
          - id: first
            set: {double: "${{ input.n * 2 }}"}
          - id: second
            set: {text: "n=${{ input.n }}"}
        output: {double: "${{ steps.first.output.double }}", text: "${{ steps.second.output.text }}"}
        """

    static let gate = """
        apex: 1
        name: gate
        steps:
          - id: gate
            wait:
              signal: go
              schema: {type: object, required: [approved], properties: {approved: {type: boolean}}}
          - id: done
            set: {approved: "${{ steps.gate.output.approved }}"}
        output: ${{ steps.done.output.approved }}
        """

    static let failing = """
        apex: 1
        name: failing
        steps:
          - id: stop
            fail: {error: Refused, message: "not today"}
        """

    init() throws {
        folder = try TemporaryFolder()
        environment = Self.environment(in: folder)
        local = "sqlite:\(folder.path)/local.db"
        try folder.write("quick.yaml", Self.quick)
        try folder.write("gate.yaml", Self.gate)
        try folder.write("failing.yaml", Self.failing)
        try folder.write("broken.yaml", "apex: 1\nname: broken\nsteps:\n  - id: a\n    set: {x: 1}\n    next: nowhere\n")
    }

    @Test func runShowRunsAndHistoryPrintWhatTheyPrintLocally() async throws {
        let server = try await ServeProcess(in: folder)

        let run = try await both("run", "quick.yaml", "-i", "n=21", "--id", "q-1", server: server)
        #expect(run.remote.status == 0 && run.local.status == 0, "\(run.remote.error)")
        #expect(run.remote.output == "{\n  \"double\": 42,\n  \"text\": \"n=21\"\n}\n")
        #expect(run.remote.output == run.local.output)
        #expect(run.remote.error.hasPrefix("run q-1\n✓ first  "), "\(run.remote.error)")
        #expect(run.remote.error.hasSuffix("✓ run q-1 completed\n"))
        #expect(sameShape(run.remote.error) == sameShape(run.local.error))

        let show = try await both("show", "q-1", server: server)
        #expect(show.remote.status == 0)
        #expect(show.remote.output.contains("status    completed\n"))
        #expect(show.remote.output.contains("output    {\"double\":42,\"text\":\"n=21\"}\n"))
        #expect(sameShape(show.remote.output) == sameShape(show.local.output))

        let detail = try await both("show", "q-1", "--json", server: server)
        let (remoteDetail, localDetail) = (try JSONValue(parsing: detail.remote.output), try JSONValue(parsing: detail.local.output))
        #expect(remoteDetail["steps"]?.arrayValue?.count == 2)
        #expect(sameShape(detail.remote.output) == sameShape(detail.local.output))
        #expect(Self.withoutTimes(remoteDetail) == Self.withoutTimes(localDetail))

        let runs = try await both("runs", server: server)
        #expect(runs.remote.output.hasPrefix("ID   WORKFLOW  STATUS     STEP  STARTED"))
        #expect(sameShape(runs.remote.output) == sameShape(runs.local.output))
        let runsJSON = try await both("runs", "--json", "--status", "completed", server: server)
        #expect(try JSONValue(parsing: runsJSON.remote.output).arrayValue?.compactMap { $0["id"]?.stringValue } == ["q-1"])
        #expect(sameShape(runsJSON.remote.output) == sameShape(runsJSON.local.output))

        // The RunStarted of a run started through the API pins another path and no llm routing:
        // the other events read the same.
        let history = try await both("history", "q-1", server: server)
        let remoteLines = history.remote.output.split(separator: "\n").map(String.init)
        #expect(remoteLines.count == 6, "\(history.remote.output)")
        #expect(remoteLines.first?.hasPrefix("1  ") == true && remoteLines.first?.contains("  RunStarted  workflow=\"quick\"") == true)
        #expect(remoteLines.dropFirst().map(sameShape) == history.local.output.split(separator: "\n").dropFirst().map { sameShape(String($0)) })
        let jsonLines = try await both("history", "q-1", "--json", server: server)
        let events = try jsonLines.remote.output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(events.map { $0["type"]?.stringValue ?? "" } == ["RunStarted", "StepScheduled", "StepCompleted", "StepScheduled", "StepCompleted", "RunCompleted"])
        #expect(sameShape(jsonLines.remote.output).split(separator: "\n").dropFirst() == sameShape(jsonLines.local.output).split(separator: "\n").dropFirst())

        // --json prints the run's record; a start with the same id attaches to the finished run.
        let again = try await ApexBinary.run(["--server", server.base, "run", "quick.yaml", "-i", "n=21", "--id", "q-1", "--json"],
                                             in: folder.path, environment: environment)
        #expect(again.status == 0)
        let record = try JSONValue(parsing: again.output)
        #expect(record["id"] == "q-1" && record["status"] == "completed" && record["steps"] == nil && record["usage"] == nil)
        try await server.stop()
    }

    @Test func signalAndCancelAnswerAsLocally() async throws {
        let server = try await ServeProcess(in: folder)

        let detached = try await both("run", "gate.yaml", "--id", "g-1", "--detach", server: server)
        #expect(detached.remote.status == 0 && detached.remote.output == "g-1\n" && detached.local.output == "g-1\n")

        let unknownSignal = try await both("signal", "g-1", "stop", server: server)
        #expect(unknownSignal.remote.status == 1 && unknownSignal.local.status == 1)
        #expect(unknownSignal.remote.error == "error: no wait step of this run waits for signal \"stop\" (it uses: go)\n")
        #expect(unknownSignal.remote.error == unknownSignal.local.error)

        let badPayload = try await both("signal", "g-1", "go", "--data", #"{"approved": "yes"}"#, server: server)
        #expect(badPayload.remote.status == 1 && badPayload.local.status == 1)
        #expect(badPayload.remote.error.hasPrefix("error: the payload of signal \"go\" does not match its schema: "))
        #expect(badPayload.remote.error == badPayload.local.error)

        let unknownRun = try await both("signal", "nope", "go", server: server)
        #expect(unknownRun.remote.status == 2 && unknownRun.local.status == 2)
        #expect(unknownRun.remote.error == "error: no run with id nope\n" && unknownRun.local.error == unknownRun.remote.error)

        let sent = try await both("signal", "g-1", "go", "--data", #"{"approved": true}"#, server: server)
        #expect(sent.remote.status == 0 && sent.local.status == 0)
        #expect(sent.remote.error == "signal \"go\" sent to run g-1 (event 3)\n", "\(sent.remote.error)")
        #expect(sent.remote.error == sent.local.error)

        // The server's worker completes the run; the local one is not driven: resume it.
        try await waitUntil("g-1 completes on the server") {
            try await ApexBinary.run(["show", "g-1", "--server", server.base], in: folder.path, environment: environment).output
                .contains("status    completed")
        }
        #expect(try await apex("resume", "g-1", "--db", local).status == 0)

        let late = try await both("signal", "g-1", "go", "--data", #"{"approved": true}"#, server: server)
        #expect(late.remote.status == 1 && late.local.status == 1)
        #expect(late.remote.error == "error: run g-1 has already finished\n" && late.local.error == late.remote.error)

        let cancelFinished = try await both("cancel", "g-1", server: server)
        #expect(cancelFinished.remote.status == 0 && cancelFinished.local.status == 0)
        #expect(cancelFinished.remote.error == "run g-1 has already finished; nothing to cancel\n")
        #expect(cancelFinished.remote.error == cancelFinished.local.error)

        _ = try await both("run", "gate.yaml", "--id", "g-2", "--detach", server: server)
        let cancel = try await both("cancel", "g-2", "--reason", "duplicate", server: server)
        #expect(cancel.remote.status == 0 && cancel.local.status == 0)
        #expect(cancel.remote.error == "cancellation of run g-2 requested\n" && cancel.local.error == cancel.remote.error)
        try await waitUntil("g-2 is cancelled on the server") {
            try await ApexBinary.run(["history", "g-2", "--server", server.base], in: folder.path, environment: environment).output
                .contains("RunCancelled")
        }
        let history = try await ApexBinary.run(["history", "g-2", "--server", server.base], in: folder.path, environment: environment)
        #expect(history.output.contains("CancelRequested  reason=\"duplicate\""))

        let cancelUnknown = try await both("cancel", "nope", server: server)
        #expect(cancelUnknown.remote.status == 2 && cancelUnknown.remote.error == "error: no run with id nope\n")
        #expect(cancelUnknown.local.error == cancelUnknown.remote.error)
        try await server.stop()
    }

    @Test func aRunFollowedOnTheServerPrintsItsStepsAndExitsWithItsStatus() async throws {
        let server = try await ServeProcess(in: folder)
        var client = environment
        client["APEX_SERVER"] = server.base

        // Waits for a signal sent by another command, then completes: exit 0 and the output.
        let waiting = try BackgroundApex(["run", "gate.yaml", "--id", "live-1"], in: folder.path, environment: client)
        try await waitUntil("the run waits") { waiting.errorSoFar.contains("waiting for signal") }
        #expect(try await apex("signal", "live-1", "go", "--data", #"{"approved": true}"#, adding: client).status == 0)
        let done = try await waiting.wait()
        #expect(done.status == 0, "\(done.error)")
        #expect(done.output == "true\n")
        #expect(sameShape(done.error) == """
            run live-1
            ⏸ gate  waiting for signal "go" — send it with: apex signal live-1 go --data '{…}'
            ✓ gate  DUR
            ✓ done  DUR
            ✓ run live-1 completed

            """)

        // Failed: exit 1 with the local lines.
        let failed = try await both("run", "failing.yaml", "--id", "f-1", server: server)
        #expect(failed.remote.status == 1 && failed.local.status == 1)
        #expect(failed.remote.error.contains("✗ run f-1 failed: Refused: not today\n"))
        #expect(sameShape(failed.remote.error) == sameShape(failed.local.error))
        #expect(failed.remote.output.isEmpty && failed.local.output.isEmpty)
        let failedShown = try await both("show", "f-1", server: server)
        #expect(failedShown.remote.output.contains("status    failed\n") && failedShown.remote.output.contains("error     Refused: not today\n"))
        #expect(!failedShown.remote.output.contains("output "), "a failed run has no output: \(failedShown.remote.output)")
        #expect(sameShape(failedShown.remote.output) == sameShape(failedShown.local.output))

        // Cancelled while followed: exit 3.
        let cancelled = try BackgroundApex(["run", "gate.yaml", "--id", "c-1"], in: folder.path, environment: client)
        try await waitUntil("the run waits") { cancelled.errorSoFar.contains("waiting for signal") }
        #expect(try await apex("cancel", "c-1", adding: client).status == 0)
        let end = try await cancelled.wait()
        #expect(end.status == 3, "\(end.error)")
        #expect(end.error.hasSuffix("■ run c-1 cancelled\n"))
        try await server.stop()
    }

    /// `apex signal --json` and `apex cancel --json` on a server print the local shapes (the
    /// signal without `signal_id` and `at`, which the API does not answer).
    @Test func signalAndCancelPrintJSONOnAServer() async throws {
        let server = try await ServeProcess(in: folder)
        var client = environment
        client["APEX_SERVER"] = server.base
        #expect(try await apex("run", "gate.yaml", "--id", "js-1", "--detach", adding: client).status == 0)
        let signal = try await apex("signal", "js-1", "go", "--data", #"{"approved": true}"#, "--json", adding: client)
        #expect(signal.status == 0, "\(signal.error)")
        let sent = try JSONValue(parsing: signal.output)
        #expect(sent.objectValue?.keys.elements == ["run_id", "name", "seq"])
        #expect(sent["run_id"] == "js-1" && sent["name"] == "go" && (sent["seq"]?.numberValue ?? 0) > 0)

        #expect(try await apex("run", "gate.yaml", "--id", "js-2", "--detach", adding: client).status == 0)
        let cancel = try await apex("cancel", "js-2", "--json", adding: client)
        #expect(cancel.status == 0, "\(cancel.error)")
        #expect(try JSONValue(parsing: cancel.output) == ["run_id": "js-2", "cancel_requested": true])
        try await server.stop()
    }

    @Test func invalidWorkflowsAndInputsAreRefusedAsLocally() async throws {
        let server = try await ServeProcess(in: folder)
        let broken = try await both("run", "broken.yaml", server: server)
        #expect(broken.remote.status == 2 && broken.local.status == 2)
        #expect(broken.remote.error.contains("broken.yaml:6:11: error: unknown step \"nowhere\""), "\(broken.remote.error)")
        #expect(broken.remote.error == broken.local.error)

        let input = try await both("run", "quick.yaml", "--input", #"{"n": "two"}"#, server: server)
        #expect(input.remote.status == 2 && input.local.status == 2)
        #expect(input.remote.error.hasPrefix("error: the input does not match the workflow's input schema: "))
        #expect(input.remote.error == input.local.error)

        let badID = try await both("run", "quick.yaml", "--id", "no spaces", server: server)
        #expect(badID.remote.status == 2 && badID.remote.error == badID.local.error, "\(badID.remote.error)")
        try await server.stop()
    }

    @Test func unknownRunsAndUnusableServersExit2() async throws {
        let server = try await ServeProcess(in: folder)
        for command in [["show", "nope"], ["show", "nope", "--json"], ["history", "nope"], ["show", "nope", "--watch"]] {
            let result = await CommandResult.apex(command + ["--server", server.base], environment: environment)
            #expect(result.status == 2, "\(command)")
            #expect(result.error == "error: no run with id nope\n", "\(command): \(result.error)")
        }
        try await server.stop()

        // Nothing listens there any more.
        let gone = await CommandResult.apex("runs", environment: environment.merging(["APEX_SERVER": server.base]) { _, new in new })
        #expect(gone.status == 2)
        #expect(gone.error.hasPrefix("error: cannot reach the server at \(server.base): "), "\(gone.error)")
        #expect(gone.error.split(separator: "\n").count == 1)
    }

    @Test func theTokenIsSentAndARefusedOneExits2() async throws {
        let server = try await ServeProcess(in: folder, environment: ["APEX_JWT_SECRET": TestToken.secret])
        var client = environment
        client["APEX_SERVER"] = server.base

        let none = try await apex("runs", adding: client)
        #expect(none.status == 2)
        #expect(none.error == "error: the server refused the request (401 Unauthorized): a bearer token is required (Authorization: Bearer <token>); set APEX_TOKEN to a token it accepts\n")

        let forged = try await apex("runs", adding: client.merging(["APEX_TOKEN": TestToken.hs256(["exp": 4_102_444_800], secret: "another-secret-0123456789abcdef0123456789")]) { _, new in new })
        #expect(forged.status == 2)
        #expect(forged.error.hasPrefix("error: the server refused the token (401 Unauthorized): "), "\(forged.error)")

        client["APEX_TOKEN"] = TestToken.full
        let run = try await apex("run", "quick.yaml", "--id", "auth-1", adding: client)
        #expect(run.status == 0, "\(run.error)")
        #expect(try await apex("runs", adding: client).output.contains("auth-1  quick"))

        // A token for namespace default, asked for another: 403.
        let elsewhere = try await apex("show", "auth-1", "-n", "billing", adding: client)
        #expect(elsewhere.status == 2)
        #expect(elsewhere.error.hasPrefix("error: the server refused the token (403 Forbidden): "), "\(elsewhere.error)")
        try await server.stop()
    }

    @Test func flagsThatNeedALocalStoreAreUsageErrors() async {
        let server = ["APEX_SERVER": "http://127.0.0.1:9"]
        let cases: [([String], [String: String], String)] = [
            (["run", "quick.yaml", "--mock-llm", "--server", "http://127.0.0.1:9"], [:], "--mock-llm cannot be used with a server"),
            (["run", "quick.yaml", "--llm-fixtures", "f.yaml"], server, "--llm-fixtures cannot be used with a server"),
            (["run", "quick.yaml", "--task-queue", "q"], server, "--task-queue cannot be used with a server"),
            (["runs", "--migrate"], server, "--migrate cannot be used with a server"),
            (["runs", "--db", "sqlite:x.db", "--server", "http://127.0.0.1:9"], [:], "--db and --server cannot be used together"),
            (["runs", "--server", "127.0.0.1:9"], [:], "--server \"127.0.0.1:9\" is not a server URL"),
            (["--server", "http://127.0.0.1:9", "resume", "r"], [:], "--server applies to run, runs, show, history, signal and cancel, not to resume"),
            (["--server"], [:], "--server needs a URL"),
            (["show", "r", "--watch", "--json"], [:], "--watch and --json cannot be used together"),
        ]
        for (arguments, extra, message) in cases {
            let result = await CommandResult.apex(arguments, environment: environment.merging(extra) { _, new in new })
            #expect(result.status == 2, "\(arguments)")
            #expect(result.error.contains(message), "\(arguments): \(result.error)")
        }
        // With APEX_SERVER set, an explicit --db uses the local store.
        let local = await CommandResult.apex(["runs", "--db", "sqlite:\(folder.path)/other.db"], environment: environment.merging(server) { _, new in new })
        #expect(local.status == 0 && local.error == "no runs\n")
    }

    @Test func theServerOptionWorksBeforeAndAfterTheCommand() async throws {
        let server = try await ServeProcess(in: folder)
        #expect(try await apex("--server", server.base, "run", "quick.yaml", "--id", "pos-1").status == 0)
        #expect(try await apex("--server=\(server.base)/", "show", "pos-1").output.hasPrefix("run       pos-1\n"))
        #expect(try await apex("history", "pos-1", "--server", server.base).status == 0)
        let help = try await apex("help", "show")
        #expect(help.output.contains("--server <url>") && help.output.contains("--watch"))
        try await server.stop()
    }

    // MARK: Helpers

    /// `apex ARGUMENTS` on the server (through APEX_SERVER) and on the local store.
    private func both(_ arguments: String..., server: ServeProcess) async throws -> (remote: CommandResult, local: CommandResult) {
        (try await ApexBinary.run(arguments, in: folder.path, environment: environment.merging(["APEX_SERVER": server.base]) { _, new in new }),
         try await ApexBinary.run(arguments + ["--db", local], in: folder.path, environment: environment))
    }

    /// The JSON with every time member left out (they differ between two runs).
    static func withoutTimes(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            .object(members.filter { !$0.key.hasSuffix("_at") }.mapValues(withoutTimes))
        case .array(let items): .array(items.map(withoutTimes))
        default: value
        }
    }
}

extension CommandResult {
    /// ``apex(_:environment:isTerminal:)`` with the arguments as an array.
    static func apex(_ arguments: [String], environment: [String: String] = [:]) async -> CommandResult {
        let capture = ConsoleCapture(environment: environment)
        let status = await ApexCommand.run(arguments: arguments, console: capture.console)
        return CommandResult(status: status, output: capture.output, error: capture.error)
    }
}

/// Waits until `condition` holds, checking every 50 ms for at most `seconds`.
func waitUntil(_ what: String, within seconds: Double = 20, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("timed out waiting until \(what)")
    throw CancellationError()
}
