import ApexDSL
import ApexMCP
import Foundation
import Testing

/// `apex mcp` as the built binary, spoken to with real newline-delimited JSON-RPC on its stdin
/// and stdout, on a SQLite store of its own; its answers compared with what the commands print.
@Suite(.enabled(if: ApexBinary.url != nil, "the apex executable has not been built"), .timeLimit(.minutes(3)))
struct MCPCommandTests: BinaryWorkspace {
    let folder: TemporaryFolder
    let environment: [String: String]

    init() throws {
        folder = try TemporaryFolder()
        environment = Self.environment(in: folder)
        try folder.write("greet.yaml", """
            apex: 1
            name: greet
            input:
              type: object
              required: [name]
              properties: {name: {type: string}}
            llm: {provider: mock}
            steps:
              - id: hello
                llm: {prompt: "Say hello to ${{ input.name }}"}
            output:
              greeting: ${{ steps.hello.output.text }}
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
            output:
              approved: ${{ steps.done.output.approved }}
            """)
    }

    func session() throws -> MCPSession {
        try MCPSession(in: folder.path, environment: environment)
    }

    @Test func initializesAndListsItsSevenTools() async throws {
        let mcp = try session()
        let initialized = try await mcp.initialize()
        #expect(initialized["result"]?["serverInfo"]?["name"] == "apex")
        #expect(initialized["result"]?["protocolVersion"] == "2025-06-18")
        #expect(initialized["result"]?["capabilities"]?["tools"] != nil)
        let listed = try await mcp.request("tools/list")
        let tools = listed["result"]?["tools"]?.arrayValue ?? []
        #expect(tools.compactMap { $0["name"]?.stringValue } == ["validate", "run", "runs", "show", "signal", "cancel", "graph"])
        for tool in tools {
            #expect(tool["inputSchema"]?["type"] == "object", "\(tool["name"]?.stringValue ?? "?")")
            #expect(tool["description"]?.stringValue?.isEmpty == false)
        }
        #expect(tools.first { $0["name"] == "run" }?["inputSchema"]?["required"] == ["path"])
        #expect(try await mcp.close() == 0)
        // stdout carries only MCP messages.
        for message in try mcp.messages() { #expect(message["jsonrpc"] == "2.0") }
    }

    @Test func validateReportsTheDiagnosticsOfABadSource() async throws {
        let mcp = try session()
        _ = try await mcp.initialize()
        let result = try await mcp.call("validate", ["source": "apex: 1\nname: bad\nsteps:\n  - id: a\n    set: {x: 1}\n    nxt: b\n"])
        #expect(result["isError"] == nil)
        let report = try #require(result["structuredContent"])
        #expect(report["errors"] == 1)
        #expect(report["files"]?[0]?["path"] == "<source>")
        let diagnostic = try #require(report["files"]?[0]?["diagnostics"]?[0])
        #expect(diagnostic["rule"] == "unknown-key")
        #expect(diagnostic["line"] == 6 && diagnostic["column"] == 5)
        let text = result["content"]?[0]?["text"]?.stringValue ?? ""
        #expect(text.hasPrefix("<source>:6:5: error: "))
        #expect(text.hasSuffix("1 file checked: 1 error"))

        // A path: the same JSON as `apex validate --format json`.
        try folder.write("flows/broken.yaml", "apex: 1\nname: broken\nsteps:\n  - id: a\n    next: nowhere\n    set: {x: 1}\n")
        let byPath = try await mcp.call("validate", ["path": "flows"])
        let printed = try await apex("validate", "--format", "json", "flows")
        #expect(printed.status == 1)
        #expect(byPath["structuredContent"]?.canonicalJSON == (try JSONValue(parsing: printed.output)).canonicalJSON)

        let missing = try await mcp.call("validate", ["path": "no-such-folder"])
        #expect(missing["isError"] == true)
        #expect(missing["content"]?[0]?["text"]?.stringValue?.contains("no-such-folder") == true)
        let neither = try await mcp.call("validate", [:])
        #expect(neither["isError"] == true)
        #expect(try await mcp.close() == 0)
    }

    @Test func runsAWorkflowThenShowsTheRunAsApexShowDoes() async throws {
        let mcp = try session()
        _ = try await mcp.initialize()
        let run = try await mcp.call("run", ["path": "greet.yaml", "input": ["name": "Ada"], "wait": true, "run_id": "greet-1"])
        #expect(run["isError"] == nil)
        #expect(run["structuredContent"]?["run_id"] == "greet-1")
        #expect(run["structuredContent"]?["status"] == "completed")
        #expect(run["structuredContent"]?["output"]?["greeting"]?.stringValue?.contains("Ada") == true)

        let shown = try await mcp.call("show", ["run_id": "greet-1"])
        let printed = try await apex("show", "greet-1", "--json")
        #expect(printed.status == 0)
        #expect(shown["content"]?[0]?["text"]?.stringValue.map { $0 + "\n" } == printed.output)
        #expect(shown["structuredContent"]?.canonicalJSON == (try JSONValue(parsing: printed.output)).canonicalJSON)

        let runs = try await mcp.call("runs", ["workflow": "greet"])
        #expect(runs["structuredContent"]?["runs"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["greet-1"])
        let graph = try await mcp.call("graph", ["path": "greet.yaml"])
        #expect(graph["content"]?[0]?["text"]?.stringValue == (try await apex("graph", "greet.yaml")).output)
        #expect(try await mcp.close() == 0)
    }

    @Test func aRunWaitingForASignalIsDrivenInTheBackgroundUntilItEnds() async throws {
        let mcp = try session()
        _ = try await mcp.initialize()
        let run = try await mcp.call("run", ["path": "approval.yaml", "wait": true, "run_id": "approval-1"])
        #expect(run["structuredContent"]?["status"] == "running")
        let rejected = try await mcp.call("signal", ["run_id": "approval-1", "name": "approve", "payload": ["approved": "yes"]])
        #expect(rejected["isError"] == true)
        let sent = try await mcp.call("signal", ["run_id": "approval-1", "name": "approve", "payload": ["approved": true]])
        #expect(sent["isError"] == nil)
        #expect(sent["content"]?[0]?["text"]?.stringValue?.hasPrefix("signal \"approve\" sent to run approval-1 (event ") == true)
        var status: JSONValue?
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            status = try await mcp.call("show", ["run_id": "approval-1"])["structuredContent"]?["status"]
            if status == "completed" { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        #expect(status == "completed")
        let cancelled = try await mcp.call("cancel", ["run_id": "approval-1"])
        #expect(cancelled["structuredContent"]?["requested"] == false)
        #expect(cancelled["content"]?[0]?["text"] == "run approval-1 has already finished; nothing to cancel")
        #expect(try await mcp.close() == 0)
    }

    @Test func refusalsAreErrorResultsAndAnUnknownToolIsAProtocolError() async throws {
        let mcp = try session()
        _ = try await mcp.initialize()
        let unknownRun = try await mcp.call("show", ["run_id": "nope"])
        #expect(unknownRun["isError"] == true)
        #expect(unknownRun["content"]?[0]?["text"] == "no run with id nope")
        let badCancel = try await mcp.call("cancel", ["run_id": "nope"])
        #expect(badCancel["content"]?[0]?["text"] == "no run with id nope")
        try folder.write("broken.yaml", "apex: 1\nname: broken\nsteps:\n  - id: a\n    next: nowhere\n    set: {x: 1}\n")
        let invalid = try await mcp.call("run", ["path": "broken.yaml"])
        #expect(invalid["isError"] == true)
        #expect(invalid["content"]?[0]?["text"]?.stringValue?.hasPrefix("broken.yaml:5:11: error: ") == true)
        let badInput = try await mcp.call("run", ["path": "greet.yaml", "input": ["name": 7]])
        #expect(badInput["isError"] == true)
        let badArgument = try await mcp.call("runs", ["limit": "ten"])
        #expect(badArgument["content"]?[0]?["text"] == "argument limit of runs must be an integer, not string")
        let badStatus = try await mcp.call("runs", ["status": "sleepy"])
        #expect(badStatus["content"]?[0]?["text"]?.stringValue?.hasPrefix("unknown status \"sleepy\"") == true)
        let unknownTool = try await mcp.request("tools/call", ["name": "nope", "arguments": [:]])
        #expect(unknownTool["error"]?["code"] == -32602)
        #expect(try await mcp.close() == 0)
    }

    /// A client that sends its last request and closes its end at once still gets the answer.
    @Test func theEndOfInputWaitsForTheAnswersOwed() async throws {
        let mcp = try session()
        _ = try await mcp.initialize()
        try mcp.send(["jsonrpc": "2.0", "id": 99, "method": "tools/call",
                      "params": ["name": "run", "arguments": ["path": "greet.yaml", "input": ["name": "Bo"], "wait": true]]])
        #expect(try await mcp.close() == 0)
        let answer = try #require(try mcp.messages().first { $0["id"] == 99 })
        #expect(answer["result"]?["structuredContent"]?["status"] == "completed")
    }

    /// The MCP client of ApexMCP against `apex mcp`: the two sides of the project agree.
    @Test func theApexMCPClientDrivesApexMCP() async throws {
        let binary = try #require(ApexBinary.url).path
        let server = try await MCPToolServer.start(command: [binary, "mcp"], environment: environment, directory: folder.path,
                                                   timeout: .seconds(90))
        let tools = try await server.tools()
        #expect(tools.count == 7)
        let graph = try await server.call(name: "graph", arguments: ["path": "greet.yaml"], timeout: .seconds(60))
        #expect(graph.text.hasPrefix("flowchart TD"))
        let missing = try await server.call(name: "show", arguments: ["run_id": "nope"], timeout: .seconds(60))
        #expect(missing == MCPToolResult(text: "no run with id nope", structured: nil, isError: true))
        await server.stop()
        #expect(server.hasExited)
    }
}
