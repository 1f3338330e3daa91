import ApexDSL
import ApexMCP
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The MCP client against the test server `Tests/Fixtures/mcp/search_server.py`, run with python3
/// as a real child process over stdio.
///
/// Beside the whole test run on two cores, starting a server can take many seconds: timeouts
/// are generous, and a bound on time only tells "did not wait for the timeout" apart from
/// "noticed at once", with the timeout far above the bound.
@Suite struct MCPToolServerTests {
    /// The test server, read from the source tree.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/mcp/search_server.py").path

    static func start(_ options: [String] = [], environment: [String: String]? = nil, directory: String? = nil,
                      timeout: Swift.Duration = .seconds(90), stderrLine: (@Sendable (String) -> Void)? = nil) async throws -> MCPToolServer {
        try await MCPToolServer.start(command: ["python3", script] + options, environment: environment, directory: directory,
                                      timeout: timeout, stderrLine: stderrLine)
    }

    /// Whether a process id names no live process (gone, or a zombie nobody reaped yet).
    static func isGone(_ pid: Int32) -> Bool {
        if kill(pid, 0) != 0 { return errno == ESRCH }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true
    }

    @discardableResult
    static func expectError(_ kind: MCPToolError.Kind, _ body: () async throws -> Void) async -> MCPToolError? {
        do {
            try await body()
            Issue.record("expected an MCPToolError \(kind), got none")
        } catch let error as MCPToolError {
            #expect(error.kind == kind, "\(error.message)")
            return error
        } catch {
            Issue.record("expected an MCPToolError \(kind), got \(error)")
        }
        return nil
    }

    @Test func listsTheToolsWithTheirSchemas() async throws {
        let server = try await Self.start()
        defer { Task { await server.stop() } }
        #expect(server.serverName == "apex-test-search")
        let tools = try await server.tools()
        #expect(tools.map(\.name) == ["search", "fetch", "fail", "slow", "image", "environment", "exit", "spawn"])
        let search = try #require(tools.first)
        #expect(search.description == "Search the documentation; one line per result.")
        #expect(search.inputSchema["type"] == "object")
        #expect(search.inputSchema["required"] == ["query"])
        #expect(search.inputSchema["properties"]?["limit"]?["default"] == 3)
        await server.stop()
    }

    @Test func aCallAnswersTextAndStructuredContent() async throws {
        let server = try await Self.start()
        let result = try await server.call(name: "search", arguments: ["query": "signal", "limit": 2], timeout: .seconds(60))
        await server.stop()
        #expect(result.text == "Signals <https://docs.example/signals>")
        #expect(!result.isError)
        #expect(result.structured == ["query": "signal", "results": [["title": "Signals", "url": "https://docs.example/signals"]]])
    }

    @Test func aToolsOwnFailureIsAResultWithIsError() async throws {
        let server = try await Self.start()
        let failed = try await server.call(name: "fail", arguments: ["message": "the index is offline"], timeout: .seconds(60))
        let missing = try await server.call(name: "fetch", arguments: ["url": "https://nowhere.example"], timeout: .seconds(60))
        let found = try await server.call(name: "fetch", arguments: ["url": "https://docs.example/mcp"], timeout: .seconds(60))
        await server.stop()
        #expect(failed == MCPToolResult(text: "the index is offline", structured: nil, isError: true))
        #expect(missing.isError && missing.text == "no document at https://nowhere.example")
        #expect(!found.isError && found.text.hasPrefix("MCP servers offer tools"))
    }

    @Test func anUnknownToolIsRejectedAndTheServerStaysUsable() async throws {
        let server = try await Self.start()
        let error = await Self.expectError(.rejected) { _ = try await server.call(name: "nope", arguments: [:], timeout: .seconds(60)) }
        #expect(error?.message.contains("Unknown tool: nope") == true)
        #expect(error?.message.contains("`python3 \(Self.script)`") == true)
        let again = try await server.call(name: "search", arguments: ["query": "retries"], timeout: .seconds(60))
        #expect(again.text.hasPrefix("Retries"))
        await Self.expectError(.invalidArguments) { _ = try await server.call(name: "search", arguments: ["retries"], timeout: .seconds(60)) }
        await server.stop()
    }

    @Test func otherContentIsDescribed() async throws {
        let server = try await Self.start()
        let result = try await server.call(name: "image", arguments: .null, timeout: .seconds(60))
        await server.stop()
        #expect(result.text == "[image image/png, 70 bytes]\na tiny image")
    }

    @Test func environmentAndWorkingFolderReachTheServer() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("apex-mcp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = try await Self.start(environment: ["APEX_MCP_GREETING": "hello"], directory: folder)
        let given = try await server.call(name: "environment", arguments: ["name": "APEX_MCP_GREETING"], timeout: .seconds(60))
        let path = try await server.call(name: "environment", arguments: ["name": "PATH"], timeout: .seconds(60))
        await server.stop()
        let realFolder = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        #expect(given.structured == ["cwd": .string(realFolder), "value": "hello"])
        // (pyenv's python3 puts its own folders first)
        #expect(path.structured?["value"]?.stringValue?.hasSuffix(ProcessInfo.processInfo.environment["PATH"] ?? "?") == true)
        #expect(MCPToolServer.inheritedVariables.contains("PATH") && !MCPToolServer.inheritedVariables.contains("OPENAI_API_KEY"))
    }

    @Test func stderrLinesAreHandedOver() async throws {
        let lines = LineLog()
        let server = try await Self.start(stderrLine: { lines.append($0) })
        _ = try await server.tools()
        await server.stop()
        #expect(lines.all.first?.hasPrefix("search_server: started, pid ") == true)
    }

    @Test func aCommandThatDoesNotExistIsALaunchError() async throws {
        let missing = await Self.expectError(.launchFailed) {
            _ = try await MCPToolServer.start(command: ["apex-no-such-command", "--stdio"], environment: nil, directory: nil)
        }
        #expect(missing?.message.hasPrefix("cannot start MCP server `apex-no-such-command --stdio`: no command apex-no-such-command on PATH") == true)
        let badFolder = await Self.expectError(.launchFailed) {
            _ = try await MCPToolServer.start(command: ["python3", Self.script], environment: nil, directory: "/nonexistent/apex")
        }
        #expect(badFolder?.message.contains("its working folder /nonexistent/apex does not exist") == true)
        let empty = await Self.expectError(.launchFailed) { _ = try await MCPToolServer.start(command: [], environment: nil, directory: nil) }
        #expect(empty?.message == "cannot start an MCP server: the command is empty")
    }

    @Test func aServerThatExitsAtOnceSaysWhyWithItsStderr() async throws {
        let started = ContinuousClock.now
        let error = await Self.expectError(.exited) { _ = try await Self.start(["--exit-at-once", "3"], timeout: .seconds(120)) }
        #expect(ContinuousClock.now - started < .seconds(60), "it must not wait for the start timeout")
        let message = try #require(error?.message)
        #expect(message.hasPrefix("MCP server `python3 \(Self.script) --exit-at-once 3` exited with status 3 before it was initialized"))
        #expect(message.hasSuffix("its stderr ended with:\n  search_server: cannot start: exiting with status 3 as asked"))
    }

    @Test func aServerThatNeverAnswersInitializeTimesOut() async throws {
        let started = ContinuousClock.now
        let error = await Self.expectError(.timedOut) { _ = try await Self.start(["--never-initialize"], timeout: .seconds(1)) }
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(error?.message.contains("did not answer `initialize` within 1 s; it was stopped") == true)
    }

    @Test func stopEndsTheProcessAndReapsIt() async throws {
        let server = try await Self.start()
        let pid = server.processID
        #expect(kill(pid, 0) == 0)
        await server.stop()
        #expect(Self.isGone(pid))
        #expect(server.hasExited)
        let error = await Self.expectError(.stopped) { _ = try await server.tools() }
        #expect(error?.message.contains("was stopped") == true)
        await server.stop()  // twice is fine
    }

    /// Started from a thread of the concurrency pool, which blocks signals, a server must still
    /// block none: SIGTERM must reach it.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status"), "reads /proc"))
    func theServerBlocksNoSignal() async throws {
        let server = try await Self.start()
        let status = try String(contentsOfFile: "/proc/\(server.processID)/status", encoding: .utf8)
        await server.stop()
        let blocked = status.split(separator: "\n").first { $0.hasPrefix("SigBlk:") }
        #expect(blocked.map { $0.hasSuffix("0000000000000000") } == true, "\(blocked ?? "no SigBlk")")
    }

    @Test func stopKillsAServerThatIgnoresItsInputAndSIGTERM() async throws {
        let server = try await Self.start(["--linger"])
        let pid = server.processID
        let started = ContinuousClock.now
        await server.stop()
        #expect(Self.isGone(pid))
        #expect(ContinuousClock.now - started >= .seconds(2), "SIGKILL comes two seconds after SIGTERM")
    }

    @Test func aServerReleasedWithoutStopIsTerminated() async throws {
        var server: MCPToolServer? = try await Self.start()
        let pid = try #require(server?.processID)
        _ = try await server?.tools()
        server = nil
        let deadline = ContinuousClock.now + .seconds(30)
        while !Self.isGone(pid), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(Self.isGone(pid))
    }

    @Test func stopEndsWhatTheServerStarted() async throws {
        let server = try await Self.start()
        let spawned = try await server.call(name: "spawn", arguments: [:], timeout: .seconds(60))
        let child = try #require(spawned.structured?["pid"].flatMap { if case .int(let pid) = $0 { Int32(pid) } else { nil } })
        #expect(kill(child, 0) == 0)
        await server.stop()
        let deadline = ContinuousClock.now + .seconds(30)
        while !Self.isGone(child), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(Self.isGone(child))
    }

    @Test func aSlowCallTimesOutAndTheServerStaysUsable() async throws {
        let server = try await Self.start()
        let started = ContinuousClock.now
        let error = await Self.expectError(.timedOut) {
            _ = try await server.call(name: "slow", arguments: ["seconds": 100], timeout: .milliseconds(300))
        }
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(error?.message.contains("did not answer tools/call slow within 300 ms; the request was cancelled") == true)
        let next = try await server.call(name: "slow", arguments: ["seconds": 0], timeout: .seconds(60))
        #expect(next.text == "slept 0 s")
        await server.stop()
    }

    @Test func callsOverlap() async throws {
        let server = try await Self.start()
        async let first = server.call(name: "slow", arguments: ["seconds": 1], timeout: .seconds(60))
        async let second = server.call(name: "slow", arguments: ["seconds": 1], timeout: .seconds(60))
        let results = try await [first, second]
        #expect(results.map(\.text) == ["slept 1 s", "slept 1 s"])
        // The server's own clock: the two sleeps overlapped.
        let spans = results.compactMap { result in result.structured.flatMap { span in
            span["started"]?.numberValue.flatMap { start in span["ended"]?.numberValue.map { (start, $0) } } } }
        #expect(spans.count == 2)
        #expect((spans.map(\.0).max() ?? 0) < (spans.map(\.1).min() ?? 0))
        await server.stop()
    }

    @Test func aCancelledCallEndsAtOnce() async throws {
        let server = try await Self.start()
        let call = Task { try await server.call(name: "slow", arguments: ["seconds": 100], timeout: .seconds(120)) }
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        call.cancel()
        do {
            _ = try await call.value
            Issue.record("the cancelled call answered")
        } catch let error as MCPToolError {
            #expect(error.kind == .cancelled)
        }
        #expect(ContinuousClock.now - started < .seconds(60))
        await server.stop()
    }

    @Test func aServerThatExitsDuringACallIsReportedWithItsStatusAndStderr() async throws {
        let server = try await Self.start()
        let started = ContinuousClock.now
        let error = await Self.expectError(.exited) { _ = try await server.call(name: "exit", arguments: ["status": 4], timeout: .seconds(120)) }
        #expect(ContinuousClock.now - started < .seconds(60), "a call must not wait for its timeout when the server is gone")
        let message = try #require(error?.message)
        #expect(message.contains("exited with status 4 before it answered tools/call exit"))
        #expect(message.hasSuffix("  search_server: exiting with status 4 as asked"))
        let later = await Self.expectError(.exited) { _ = try await server.tools() }
        #expect(later?.message.contains("exited with status 4 before it answered tools/list") == true)
        #expect(server.hasExited)
        await server.stop()
    }
}

/// Lines collected from another thread.
final class LineLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
