import ApexDSL
import ApexEngine
import ApexFakeProvider
import Foundation
import Testing

/// The `agent` step run by the built binary against the fake provider server (OpenAI's wire
/// format, tool calls included) and plain HTTP tools on it, every request counted on the
/// server's side: a crash mid-call, approvals, limits, a checked final answer, an MCP server,
/// and replay against an edited definition.
@Suite(.enabled(if: ApexBinary.url != nil, "the apex executable has not been built"), .serialized, .timeLimit(.minutes(3)))
struct AgentEndToEndTests {
    static let chat = "/v1/chat/completions"

    let folder: TemporaryFolder
    let server: FakeProviderServer
    let environment: [String: String]

    init() async throws {
        folder = try TemporaryFolder()
        server = try await FakeProviderServer.start()
        environment = [
            "APEX_HOME": folder.path + "/home", "NO_COLOR": "1",
            "OPENAI_API_KEY": "sk-test-agent", "OPENAI_BASE_URL": server.openAIBaseURL,
        ]
        try folder.write("support.yaml", """
            apex: 1
            name: support
            input:
              type: object
              required: [tools, order]
              properties: {tools: {type: string}, order: {type: string}}
            llm: {provider: openai, model: gpt-test}
            steps:
              - id: investigate
                retry: {max_attempts: 3, initial_interval: 100ms, jitter: 0}
                agent:
                  system: You are a support engineer.
                  prompt: "Why does order ${{ input.order }} fail to ship?"
                  max_turns: 4
                  tools:
                    - name: lookup_order
                      description: Reads an order by id.
                      input: {type: object, required: [id], properties: {id: {type: string}}}
                      http: {url: "${{ input.tools }}/orders/${{ args.id }}"}
                    - name: check_stock
                      input: {type: object, required: [sku], properties: {sku: {type: string}}}
                      http: {url: "${{ input.tools }}/stock/${{ args.sku }}"}
                      retry: {max_attempts: 3, initial_interval: 100ms, jitter: 0}
                    - name: refund
                      input: {type: object, required: [order, amount], properties: {order: {type: string}, amount: {type: number}}}
                      http: {method: POST, url: "${{ input.tools }}/refunds", json: "${{ args }}"}
                      approval: {signal: approve_refund, timeout: 1h}
            output: ${{ steps.investigate.output }}
            """)
    }

    private func apex(_ arguments: String...) async throws -> CommandResult {
        try await ApexBinary.run(arguments, in: folder.path, environment: environment)
    }

    private func history(_ run: String) async throws -> [JSONValue] {
        try await apex("history", run, "--json").output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    private func waitFor(_ run: String, _ type: String, count: Int = 1) async throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if (try? await history(run))?.filter({ $0["type"]?.stringValue == type }).count ?? 0 >= count { return }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        Issue.record("run \(run) never recorded \(count) \(type)")
    }

    private var input: String { "{\"tools\": \"\(server.baseURL)\", \"order\": \"A1\"}" }

    @Test func aKillDuringTheSecondToolCallRepeatsOnlyThatCall() async throws {
        defer { Task { [server] in try? await server.shutdown() } }
        server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "lookup_order", arguments: ["id": "A1"], id: "call_a")]), path: Self.chat)
        server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "check_stock", arguments: ["sku": "S9"], id: "call_b")]), path: Self.chat)
        server.enqueue(.json(["id": "A1", "sku": "S9"]), path: "/orders/A1")
        // Still answering when the process is killed.
        server.enqueue(.json(["in_stock": true]).delayed(by: .seconds(60)), path: "/stock/S9")

        let first = try BackgroundApex(["run", "support.yaml", "--id", "agent-1", "--input", input], in: folder.path, environment: environment)
        let deadline = Date().addingTimeInterval(30)
        while server.requests(path: "/stock/S9").isEmpty, Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        first.kill()
        #expect(server.requests(path: "/stock/S9").count == 1, "the second tool call never started")

        server.enqueue(.json(["in_stock": false]), path: "/stock/S9")
        server.enqueue(.openAIChat(text: "S9 is out of stock."), path: Self.chat)
        let resumed = try await apex("resume", "agent-1")
        #expect(resumed.status == 0, "\(resumed.error)")
        let output = try JSONValue(parsing: resumed.output)
        #expect(output["text"] == "S9 is out of stock.")
        #expect(output["turns"] == 3)
        #expect(output["tool_calls"] == 2)

        // The first call once; the second twice, with one key; no turn asked twice.
        #expect(server.requests(path: "/orders/A1").count == 1)
        let stock = server.requests(path: "/stock/S9")
        #expect(stock.count == 2)
        #expect(stock.map { $0.header("Idempotency-Key") } == Array(repeating: "agent-1/investigate/1/2/call_b", count: 2))
        #expect(server.requests(path: "/orders/A1").first?.header("Idempotency-Key") == "agent-1/investigate/1/1/call_a")
        let turns = server.requests(path: Self.chat)
        #expect(turns.count == 3)
        // The third turn reads both results, in order, as tool messages.
        let toolMessages = turns.last?.messages.filter { $0["role"] == "tool" } ?? []
        #expect(toolMessages.map { $0["tool_call_id"] } == ["call_a", "call_b"])
        #expect(toolMessages.last?["content"]?.stringValue?.contains("\"in_stock\":false") == true)
        #expect(turns.last?.offeredToolNames == ["lookup_order", "check_stock", "refund"])

        let events = try await history("agent-1")
        let failures = events.filter { $0["type"] == "StepFailed" }.map { $0["error"]?["type"]?.stringValue }
        #expect(failures == ["worker.lost"])
        let shown = try await apex("show", "agent-1")
        #expect(shown.output.contains("turn 1"))
        #expect(shown.output.contains("lookup_order("))
        #expect(shown.output.contains("→ check_stock"))
    }

    @Test func aRefusedApprovalGoesBackToTheModelAndAGivenOneMakesTheCall() async throws {
        defer { Task { [server] in try? await server.shutdown() } }
        server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "refund", arguments: ["order": "A1", "amount": 500])]), path: Self.chat)
        server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "refund", arguments: ["order": "A1", "amount": 50])]), path: Self.chat)
        server.enqueue(.openAIChat(text: "Refunded 50."), path: Self.chat)
        server.enqueue(.json(["refund": "r-1"]), path: "/refunds")

        let running = try BackgroundApex(["run", "support.yaml", "--id", "agent-2", "--input", input], in: folder.path, environment: environment)
        try await waitFor("agent-2", "StepSuspended")
        let waiting = try await apex("show", "agent-2").output
        #expect(waiting.contains("waiting"))
        #expect(waiting.contains("waits for signal approve_refund"), "\(waiting)")
        let rejected = try await apex("signal", "agent-2", "approve_refund", "--data", "{\"approve\": \"yes\"}")
        #expect(rejected.status == 1, "an approval must be {approve: bool, reason?}")
        #expect(try await apex("signal", "agent-2", "approve_refund", "--data", "{\"approve\": false, \"reason\": \"over the limit\"}").status == 0)
        try await waitFor("agent-2", "StepSuspended", count: 2)
        #expect(try await apex("signal", "agent-2", "approve_refund", "--data", "{\"approve\": true}").status == 0)
        let result = try await running.wait()
        #expect(result.status == 0, "\(result.error)")
        #expect(try JSONValue(parsing: result.output)["text"] == "Refunded 50.")

        // Only the approved call reached the endpoint; the model read the refusal and its reason.
        #expect(server.requests(path: "/refunds").map { $0.json?["amount"] } == [50])
        let second = server.requests(path: Self.chat)[1].messages.last
        #expect(second?["role"] == "tool")
        #expect(second?["content"]?.stringValue?.contains("over the limit") == true)
    }

    @Test func maxTurnsEndsTheStepWithItsError() async throws {
        defer { Task { [server] in try? await server.shutdown() } }
        server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "lookup_order", arguments: ["id": "A1"])]), times: 4, path: Self.chat)
        server.enqueue(.json(["id": "A1"]), times: 4, path: "/orders/A1")
        let run = try await apex("run", "support.yaml", "--id", "agent-3", "--input", input)
        #expect(run.status == 1)
        let record = try JSONValue(parsing: try await apex("show", "agent-3", "--json").output)
        #expect(record["error"]?["type"] == "agent.max_turns")
        #expect(server.requests(path: Self.chat).count == 4)
        // Not retried: the limit is not a transient failure.
        #expect(try await history("agent-3").filter { $0["type"] == "StepFailed" }.count == 1)
    }

    @Test func aFinalAnswerIsCheckedAgainstTheSchemaAndAMismatchIsToldOnce() async throws {
        defer { Task { [server] in try? await server.shutdown() } }
        try folder.write("cause.yaml", """
            apex: 1
            name: cause
            llm: {provider: openai, model: gpt-test}
            steps:
              - id: investigate
                agent:
                  prompt: Why?
                  schema: {type: object, required: [cause], properties: {cause: {type: string}}}
            output: ${{ steps.investigate.output.data.cause }}
            """)
        server.enqueue(.openAIChat(text: "It is the warehouse."), path: Self.chat)
        server.enqueue(.openAIChat(text: "{\"cause\": \"warehouse\"}"), path: Self.chat)
        let run = try await apex("run", "cause.yaml")
        #expect(run.status == 0, "\(run.error)")
        #expect(try JSONValue(parsing: run.output) == "warehouse")
        let turns = server.requests(path: Self.chat)
        #expect(turns.count == 2)
        #expect(turns[0].json?["response_format"]?["type"] == "json_schema")
        #expect(turns[1].messages.last?["content"]?.stringValue?.contains("does not match the required JSON schema") == true)
    }

    @Test func replayOfAnEditedToolListReportsTheDivergence() async throws {
        defer { Task { [server] in try? await server.shutdown() } }
        server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "lookup_order", arguments: ["id": "A1"])]), path: Self.chat)
        server.enqueue(.openAIChat(text: "Done."), path: Self.chat)
        server.enqueue(.json(["id": "A1"]), path: "/orders/A1")
        #expect(try await apex("run", "support.yaml", "--id", "agent-4", "--input", input).status == 0)
        #expect(try await apex("replay", "agent-4", "--workflow", "support.yaml").status == 0)

        let edited = try String(contentsOfFile: folder.path + "/support.yaml", encoding: .utf8)
            .replacingOccurrences(of: "name: check_stock", with: "name: check_inventory")
        try folder.write("edited.yaml", edited)
        let replay = try await apex("replay", "agent-4", "--workflow", "edited.yaml")
        #expect(replay.status == 1)
        #expect(replay.output.contains("APEX-R001"))
        #expect(replay.output.contains("check_stock"))
        #expect(replay.output.contains("check_inventory"))
    }

    @Test func anMCPServersToolIsOfferedAndCalled() async throws {
        defer { Task { [server] in try? await server.shutdown() } }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/mcp/search_server.py").path
        try folder.write("research.yaml", """
            apex: 1
            name: research
            llm: {provider: openai, model: gpt-test}
            steps:
              - id: research
                agent:
                  prompt: Find the shipping policy.
                  tools:
                    - mcp: {command: [python3, "\(script)"], allow: [search]}
            output: ${{ steps.research.output.text }}
            """)
        server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "search", arguments: ["query": "durable"])]), path: Self.chat)
        server.enqueue(.openAIChat(text: "Found it."), path: Self.chat)
        let run = try await apex("run", "research.yaml", "--id", "agent-5")
        #expect(run.status == 0, "\(run.error)")
        let turns = server.requests(path: Self.chat)
        #expect(turns.first?.offeredToolNames == ["search"])
        let result = turns.last?.messages.last
        #expect(result?["role"] == "tool")
        #expect(result?["content"]?.stringValue?.contains("Durable execution") == true)
        // The server's tool list is recorded, so the run does not depend on it afterwards.
        let checkpoints = try await history("agent-5").filter { $0["type"] == "StepCheckpointed" }
        #expect(checkpoints.first?["data"]?["mcp_tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["search"])
    }
}
