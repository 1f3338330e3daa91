import ApexDSL
import Foundation
import Testing

/// `apex show RUN --watch` (docs/cli.md, "`apex show`"): on a terminal it redraws in place, elsewhere
/// it prints one line per change; it ends when the run does, with `apex run`'s exit status,
/// on a local store (the run driven by another process) and on a server.
@Suite(.enabled(if: ApexBinary.url != nil, "the apex executable has not been built"), .serialized, .timeLimit(.minutes(3)))
struct WatchTests: BinaryWorkspace {
    let folder: TemporaryFolder
    let environment: [String: String]
    let database: String

    init() throws {
        folder = try TemporaryFolder()
        environment = Self.environment(in: folder)
        database = "sqlite:\(folder.path)/watch.db"
        try folder.write("gate.yaml", ClientModeTests.gate)
        try folder.write("refuse.yaml", """
            apex: 1
            name: refuse
            steps:
              - id: gate
                wait: {signal: go}
              - id: stop
                fail: {error: Refused, message: "not today"}
            """)
    }

    /// A line of a change: `TIME  STEP  STATUS  (attempt N, DURATION)`.
    static var changeLine: Regex<(Substring, Substring, Substring, Substring)> {
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ  (\S+)  (\w+)  \(attempt (\d+), [0-9.a-z]+\)$/
    }

    @Test func aPipeGetsTheRunOnceThenALinePerChange() async throws {
        // Driven by `apex run` in another process, on the local store.
        let driver = try BackgroundApex(["run", "gate.yaml", "--id", "w-1", "--db", database], in: folder.path, environment: environment)
        try await waitUntil("the run waits") { driver.errorSoFar.contains("waiting for signal") }
        let watch = try BackgroundApex(["show", "w-1", "--watch", "--db", database], in: folder.path, environment: environment)
        try await waitUntil("the watch prints the run") { watch.outputSoFar.contains("STEP") }
        #expect(try await apex("signal", "w-1", "go", "--data", #"{"approved": true}"#, "--db", database).status == 0)
        let result = try await watch.wait()
        #expect(result.status == 0, "\(result.error)")
        #expect(try await driver.wait().status == 0)

        let (shown, changes) = Self.split(result.output)
        #expect(shown.hasPrefix("run       w-1\nworkflow  gate ("))
        #expect(shown.contains("status    running at gate\n"))
        #expect(shown.contains("gate  waiting"))
        let steps = changes.dropLast().compactMap { $0.wholeMatch(of: Self.changeLine).map { "\($0.1) \($0.2)" } }
        #expect(steps.count == changes.count - 1, "\(changes)")
        #expect(steps.contains("gate completed") && steps.last == "done completed", "\(changes)")
        #expect(changes.last == "run w-1 completed")
    }

    @Test func aRunOnAServerIsWatchedThroughItsStreamAndAFailureExits1() async throws {
        let server = try await ServeProcess(in: folder)
        let client = environment.merging(["APEX_SERVER": server.base]) { _, new in new }
        #expect(try await apex("run", "refuse.yaml", "--id", "w-2", "--detach", adding: client).status == 0)
        let watch = try BackgroundApex(["show", "w-2", "--watch"], in: folder.path, environment: client)
        try await waitUntil("the watch prints the run") { watch.outputSoFar.contains("STEP") }
        #expect(try await apex("signal", "w-2", "go", adding: client).status == 0)
        let result = try await watch.wait()
        #expect(result.status == 1, "\(result.error)")
        let (_, changes) = Self.split(result.output)
        #expect(changes.last == "run w-2 failed: Refused: not today", "\(result.output)")
        #expect(changes.contains { $0.wholeMatch(of: Self.changeLine).map { $0.1 == "stop" && $0.2 == "failed" } == true }, "\(changes)")

        // A run that has ended is shown once, and its status is the exit status.
        let again = try await apex("show", "w-2", "--watch", adding: client)
        #expect(again.status == 1)
        #expect(again.output.contains("status    failed\n"))
        #expect(Self.split(again.output).changes.isEmpty, "\(again.output)")
        try await server.stop()
    }

    @Test(arguments: [false, true])
    func aTerminalGetsTheRunRedrawnInPlace(onServer: Bool) async throws {
        let server = onServer ? try await ServeProcess(in: folder) : nil
        var client = environment
        if let server { client["APEX_SERVER"] = server.base }
        let store = server == nil ? ["--db", database] : []
        var driver: BackgroundApex?
        if server == nil {
            driver = try BackgroundApex(["run", "gate.yaml", "--id", "tty-1"] + store, in: folder.path, environment: client)
            try await waitUntil("the run waits") { driver?.errorSoFar.contains("waiting for signal") == true }
        } else {
            #expect(try await ApexBinary.run(["run", "gate.yaml", "--id", "tty-1", "--detach"], in: folder.path, environment: client).status == 0)
        }
        let watch = try PseudoTerminalApex(["show", "tty-1", "--watch"] + store, in: folder.path, environment: client)
        try await waitUntil("the watch draws the run") { watch.text.contains("gate  waiting") }
        #expect(try await ApexBinary.run(["signal", "tty-1", "go", "--data", #"{"approved": true}"#] + store, in: folder.path,
                                         environment: client).status == 0)
        let status = try await watch.wait()
        let screen = watch.text
        #expect(status == 0, "\(screen)")
        #expect(screen.hasPrefix("run       tty-1\n"))
        #expect(screen.contains("status    running at gate\n"))
        // Each redraw moves up over the lines drawn before (13: 7 header lines, a blank line,
        // the table's head and its rows) and clears to the end of the screen.
        let redraws = screen.matches(of: /\u{1B}\[(\d+)F\u{1B}\[J/)
        #expect(!redraws.isEmpty, "\(screen.debugDescription)")
        let lastScreen = String(screen[try #require(redraws.last).range.upperBound...])
        #expect(lastScreen.hasPrefix("run       tty-1\n"))
        #expect(lastScreen.contains("status    completed\n"), "\(lastScreen)")
        #expect(lastScreen.contains("output    true\n"))
        #expect(lastScreen.contains("done  completed"))
        // What each redraw goes back over is what the previous one drew.
        var previousEnd = screen.startIndex
        for redraw in redraws {
            let drawn = screen[previousEnd..<redraw.range.lowerBound]
            #expect(Int(redraw.1) == drawn.filter { $0 == "\n" }.count)
            previousEnd = redraw.range.upperBound
        }
        #expect(!screen.contains("run tty-1 completed"))
        if let driver { #expect(try await driver.wait().status == 0) }
        try await server?.stop()
    }

    @Test func ctrlCStopsWatchingWith130AndLeavesTheRunAlone() async throws {
        #expect(try await apex("run", "gate.yaml", "--id", "int-1", "--detach", "--db", database).status == 0)
        let watch = try PseudoTerminalApex(["show", "int-1", "--watch", "--db", database], in: folder.path, environment: environment)
        try await waitUntil("the watch draws the run") { watch.text.contains("gate  waiting") }
        watch.interrupt()
        #expect(try await watch.wait() == 130)
        #expect(watch.text.contains("interrupted: stopped watching run int-1; the run goes on"))
        let history = try await apex("history", "int-1", "--db", database)
        #expect(history.output.split(separator: "\n").count == 2, "\(history.output)")
        #expect(!history.output.contains("Cancel"))
    }

    /// The show output printed first, and the change lines after it (the lines after the step table).
    static func split(_ output: String) -> (shown: String, changes: [String]) {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let table = lines.firstIndex(where: { $0.hasPrefix("STEP") }) else { return (output, []) }
        var end = table + 1
        while end < lines.count, !lines[end].isEmpty, lines[end].wholeMatch(of: changeLine) == nil, !lines[end].hasPrefix("run ") { end += 1 }
        return (lines[..<end].joined(separator: "\n") + "\n", lines[end...].filter { !$0.isEmpty })
    }
}
