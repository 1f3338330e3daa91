import ApexDSL
import ApexEngine
import ApexFakeProvider
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The `agent` step's other tool kinds and wires, driven by a real engine: a child workflow as a
/// tool, an MCP server's tools (conflicts, `allow`, a tool's own error, the server stopped at
/// the end), and Anthropic's wire end to end.
@Suite(.timeLimit(.minutes(2)))
struct AgentStepToolKindsTests {
    static let chat = AgentEngineHarness.chat

    /// The MCP test server, read from the source tree.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/mcp/search_server.py").path

    static func workflow(provider: String = "openai", tools: String, stepRetry: Bool = false) -> String {
        """
        apex: 1
        name: agent-tools
        input: {type: object, properties: {base: {type: string}}}
        llm: {provider: \(provider), model: test-model}
        steps:
          - id: work
        \(stepRetry ? "    retry: {max_attempts: 3, initial_interval: 10ms, jitter: 0}\n" : "")    agent:
              prompt: Do the work.
              tools:
        \(tools.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n"))
        output: ${{ steps.work.output }}
        """
    }

    /// An `mcp` entry for the test server, with `marker` among its arguments (the server ignores
    /// it) so that its process can be found.
    static func mcp(marker: String, allow: [String]? = nil) -> String {
        let allowed = allow.map { ", allow: [\($0.joined(separator: ", "))]" } ?? ""
        return "- mcp: {command: [python3, \"\(script)\", \"\(marker)\"]\(allowed)}"
    }

    /// The ids of live processes whose command line has `marker`.
    static func processes(with marker: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).contains(marker) && !isGone(pid)
        }
    }

    /// Whether a process id names no live process (gone, or a zombie nobody reaped yet).
    static func isGone(_ pid: Int32) -> Bool {
        if kill(pid, 0) != 0 { return errno == ESRCH }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true
    }

    /// Waits up to five seconds for `condition`.
    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return condition()
    }

    static func marker() -> String { "--apex-test-\(UUID().uuidString)" }

    // MARK: 7. A child workflow as a tool

    static let child = """
        apex: 1
        name: shout
        input: {type: object, required: [text], properties: {text: {type: string}}}
        steps:
          - id: loud
            set: {text: "${{ upper(input.text) }}!"}
        output: {text: "${{ steps.loud.output.text }}"}
        """

    @Test func aWorkflowToolStartsAChildRunWithTheArgumentsAndTheModelReadsItsOutput() async throws {
        let h = try await AgentEngineHarness()
        defer { Task { await h.shutdown() } }
        let tools = """
            - name: shout
              input: {type: object, required: [text], properties: {text: {type: string}}}
              workflow: {file: shout.yaml, input: {text: "${{ args.text }}"}}
            """
        h.server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "shout", arguments: ["text": "hello"], id: "call_shout")]), path: Self.chat)
        h.server.enqueue(.openAIChat(text: "It says HELLO!"), path: Self.chat)
        // On disk for validation, and pinned as `apex run` pins it: by the path `file` resolves to.
        let childPath = h.folder + "/shout.yaml"
        try Self.child.write(toFile: childPath, atomically: true, encoding: .utf8)
        let child = WorkflowDefinition(plan: try AgentEngineHarness.plan(Self.child, path: childPath), source: Self.child, path: childPath)

        let runID = try await h.start(Self.workflow(tools: tools), name: "parent.yaml", children: [child])
        let record = try await h.finish(runID)
        #expect(record.status == .completed, "\(String(describing: record.error))")

        let children = try await h.store.runs(RunFilter(workflow: "shout"))
        #expect(children.count == 1)
        #expect(children.first?.parentRunID == runID)
        #expect(children.first?.input == ["text": "hello"])
        #expect(children.first?.status == .completed)
        let result = AgentEngineHarness.toolMessages(h.turns.last).first
        #expect(result?["tool_call_id"] == "call_shout")
        #expect(result?["content"] == "{\"text\":\"HELLO!\"}")
    }

    // MARK: 8. MCP servers

    @Test func anMCPToolNamedLikeADeclaredToolEndsTheStepWithAConflict() async throws {
        let h = try await AgentEngineHarness()
        defer { Task { await h.shutdown() } }
        let marker = Self.marker()
        let tools = """
            - name: search
              http: {url: "${{ input.base }}/search"}
            \(Self.mcp(marker: marker))
            """
        let (runID, record) = try await h.run(Self.workflow(tools: tools, stepRetry: true))
        #expect(record.status == .failed)
        #expect(record.error?.type == "agent.tool_conflict")
        #expect(record.error?.message.contains("\"search\"") == true, "\(String(describing: record.error))")
        #expect(try await h.failures(runID).count == 1)
        #expect(h.turns.isEmpty)
        // The server started to list its tools was stopped.
        #expect(try await Self.eventually { Self.processes(with: marker).isEmpty })
    }

    @Test func anAllowThatNamesAToolTheServerLacksFailsNamingIt() async throws {
        let h = try await AgentEngineHarness()
        defer { Task { await h.shutdown() } }
        let marker = Self.marker()
        let (runID, record) = try await h.run(Self.workflow(tools: Self.mcp(marker: marker, allow: ["search", "translate"]), stepRetry: true))
        #expect(record.status == .failed)
        #expect(record.error?.type == "agent.mcp")
        #expect(record.error?.message.contains("no tool \"translate\"") == true, "\(String(describing: record.error))")
        #expect(try await h.failures(runID).count == 1)
        #expect(h.turns.isEmpty)
        #expect(try await Self.eventually { Self.processes(with: marker).isEmpty })
    }

    @Test func anMCPToolsOwnErrorGoesBackToTheModelAsAnErrorResult() async throws {
        let h = try await AgentEngineHarness()
        defer { Task { await h.shutdown() } }
        h.server.enqueue(.anthropicMessage(toolCalls: [FakeToolCall(name: "fail", arguments: ["message": "the index is corrupt"], id: "toolu_fail")]),
                         path: AgentEngineHarness.messages)
        h.server.enqueue(.anthropicMessage(text: "The search is broken."), path: AgentEngineHarness.messages)

        let (runID, record) = try await h.run(Self.workflow(provider: "anthropic", tools: Self.mcp(marker: Self.marker(), allow: ["fail"])))
        #expect(record.status == .completed, "\(String(describing: record.error))")
        #expect(try await h.failures(runID).isEmpty)
        let turns = h.server.requests(path: AgentEngineHarness.messages)
        #expect(turns.count == 2)
        #expect(turns.first?.offeredToolNames == ["fail"])
        let results = turns.last?.messages.last?["content"]?.arrayValue ?? []
        #expect(results.map { $0["type"] } == ["tool_result"])
        #expect(results.first?["tool_use_id"] == "toolu_fail")
        #expect(results.first?["content"] == "the index is corrupt")
        #expect(results.first?["is_error"] == true)
        let call = try await h.checkpoints(runID).compactMap { $0["record"] }.first { $0["type"] == "tool_call" }
        #expect(call?["is_error"] == true)
        #expect(call?["attempts"] == 1)
    }

    @Test func theMCPServerIsStoppedWithWhatItStartedWhenTheStepEnds() async throws {
        let h = try await AgentEngineHarness()
        defer { Task { await h.shutdown() } }
        let marker = Self.marker()
        h.server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "spawn", id: "call_spawn")]), path: Self.chat)
        h.server.enqueue(.openAIChat(text: "Started a sleeper."), path: Self.chat)

        let (_, record) = try await h.run(Self.workflow(tools: Self.mcp(marker: marker, allow: ["spawn"])))
        #expect(record.status == .completed, "\(String(describing: record.error))")
        let result = AgentEngineHarness.toolMessages(h.turns.last).first?["content"]?.asText ?? ""
        // Its text, then its structured content on the next line.
        let firstLine = result.split(separator: "\n").first.map(String.init) ?? ""
        #expect(result.hasSuffix("{\"pid\":\(firstLine.replacingOccurrences(of: "started ", with: ""))}"), "\(result)")
        let pid = try #require(Int32(firstLine.replacingOccurrences(of: "started ", with: "")), "the spawn tool answered \(result)")
        #expect(try await Self.eventually { Self.isGone(pid) }, "the server's child \(pid) outlived the step")
        #expect(try await Self.eventually { Self.processes(with: marker).isEmpty }, "the server outlived the step")
    }

    // MARK: 9. Anthropic's wire

    @Test func aTwoTurnAgentOnAnthropicSendsTheResultsAsToolResultBlocks() async throws {
        let h = try await AgentEngineHarness()
        defer { Task { await h.shutdown() } }
        let tools = """
            - name: lookup
              description: Reads an order.
              input: {type: object, required: [id], properties: {id: {type: string}}}
              http: {url: "${{ input.base }}/orders/${{ args.id }}"}
            """
        h.server.enqueue(.anthropicMessage(toolCalls: [FakeToolCall(name: "lookup", arguments: ["id": "A1"], id: "toolu_1")], text: "Let me look."),
                         path: AgentEngineHarness.messages)
        h.server.enqueue(.anthropicMessage(text: "Order A1 is in stock."), path: AgentEngineHarness.messages)
        h.server.enqueue(.json(["id": "A1", "in_stock": true]), path: "/orders/A1")

        let (runID, record) = try await h.run(Self.workflow(provider: "anthropic", tools: tools))
        #expect(record.status == .completed, "\(String(describing: record.error))")
        #expect(record.output?["text"] == "Order A1 is in stock.")
        #expect(record.output?["turns"] == 2)
        #expect(record.output?["tool_calls"] == 1)
        #expect(h.server.requests(path: "/orders/A1").first?.header("Idempotency-Key") == "\(runID)/work/1/1/toolu_1")

        let turns = h.server.requests(path: AgentEngineHarness.messages)
        #expect(turns.count == 2)
        #expect(turns.first?.json?["tools"]?.arrayValue?.first?["input_schema"]?["required"] == ["id"])
        let messages = turns.last?.messages ?? []
        #expect(messages.map { $0["role"] } == ["user", "assistant", "user"])
        guard messages.count == 3 else { return }
        #expect(messages[0]["content"] == "Do the work.")
        let asked = messages[1]["content"]?.arrayValue ?? []
        #expect(asked.map { $0["type"] } == ["text", "tool_use"])
        #expect(asked.last?["id"] == "toolu_1")
        #expect(asked.last?["input"] == ["id": "A1"])
        let results = messages[2]["content"]?.arrayValue ?? []
        #expect(results.map { $0["type"] } == ["tool_result"])
        #expect(results.first?["tool_use_id"] == "toolu_1")
        #expect(results.first?["is_error"] == nil)
        let body = (try? JSONValue(parsing: results.first?["content"]?.asText ?? ""))?["body"]
        #expect(body?["in_stock"] == true)
    }
}
