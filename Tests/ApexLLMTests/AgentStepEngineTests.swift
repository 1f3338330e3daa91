import ApexDSL
import ApexEngine
import ApexFakeProvider
import Foundation
import Testing

/// The `agent` step driven by a real engine, its model on OpenAI's wire against the fake server
/// and its `http` tools on the same server: what the model reads back after bad calls, failed
/// calls, concurrent calls, large results, time limits and approvals, and the budgets.
@Suite(.timeLimit(.minutes(2)))
struct AgentStepEngineTests {
    static let chat = AgentEngineHarness.chat

    /// An agent with plain HTTP tools under `input.base`; `extra` goes under the agent's keys.
    static func workflow(tools: String, extra: String = "", stepRetry: Bool = false) -> String {
        """
        apex: 1
        name: agent-test
        input: {type: object, properties: {base: {type: string}}}
        llm: {provider: openai, model: gpt-test}
        steps:
          - id: work
        \(stepRetry ? "    retry: {max_attempts: 3, initial_interval: 10ms, jitter: 0}\n" : "")    agent:
              prompt: Do the work.
        \(extra.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
              tools:
        \(tools.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n"))
        output: ${{ steps.work.output }}
        """
    }

    static let lookup = """
        - name: lookup
          input: {type: object, required: [id], additionalProperties: false, properties: {id: {type: string}}}
          http: {url: "${{ input.base }}/lookup/${{ args.id }}"}
        """

    /// The `body` of an http tool's result in a `tool` message (`{"status", "body"}` as JSON).
    static func body(of message: JSONValue) -> JSONValue? {
        (try? JSONValue(parsing: message["content"]?.asText ?? ""))?["body"]
    }

    // MARK: 1. Calls that cannot run

    @Test func anUnknownToolMalformedArgumentsAndArgumentsOffTheSchemaGoBackAsErrors() async throws {
        let h = try await AgentEngineHarness()
        defer { Task { await h.shutdown() } }
        h.server.enqueue(.openAIChat(toolCalls: [
            FakeToolCall(name: "drop_tables", arguments: ["id": "1"], id: "call_unknown"),
            FakeToolCall(name: "lookup", rawArguments: "{\"id\": ", id: "call_malformed"),
            FakeToolCall(name: "lookup", arguments: ["id": 7], id: "call_mismatch"),
        ]), path: Self.chat)
        h.server.enqueue(.openAIChat(text: "I could not look anything up."), path: Self.chat)

        let (runID, record) = try await h.run(Self.workflow(tools: Self.lookup))
        #expect(record.status == .completed, "\(String(describing: record.error))")
        #expect(record.output?["text"] == "I could not look anything up.")
        #expect(record.output?["tool_calls"] == 3)

        // The tool endpoint was never called; the step never failed.
        #expect(h.requests(under: "/lookup").isEmpty)
        #expect(h.server.unscriptedRequests == 0)
        #expect(try await h.failures(runID).isEmpty)

        let results = AgentEngineHarness.toolMessages(h.turns.last)
        #expect(results.map { $0["tool_call_id"] } == ["call_unknown", "call_malformed", "call_mismatch"])
        let texts = results.map { $0["content"]?.asText ?? "" }
        #expect(texts.count == 3)
        guard texts.count == 3 else { return }
        #expect(texts[0].contains("There is no tool named \"drop_tables\"; the tools are: lookup."))
        #expect(texts[1].contains("The arguments are not a JSON object: {\"id\": "))
        #expect(texts[2].contains("The arguments do not match the tool's input schema"))
        #expect(texts.allSatisfy { $0.hasSuffix("The tool was not called.") })
        // The checkpoint marks them as errors.
        let calls = try await h.checkpoints(runID).first?["calls"]?.arrayValue ?? []
        #expect(calls.map { $0["is_error"] } == [true, true, true])
        #expect(calls.map { $0["status"] } == ["done", "done", "done"])
    }

    // MARK: 2. Concurrency

    @Test func twoCallsOfOneTurnRunConcurrentlyAndTheModelReadsThemInCallOrder() async throws {
        let h = try await AgentEngineHarness()
        defer { Task { await h.shutdown() } }
        let tools = """
            - name: slow_lookup
              http: {url: "${{ input.base }}/slow"}
            - name: quick_lookup
              http: {url: "${{ input.base }}/quick"}
            """
        h.server.enqueue(.openAIChat(toolCalls: [
            FakeToolCall(name: "slow_lookup", id: "call_slow"), FakeToolCall(name: "quick_lookup", id: "call_quick"),
        ]), path: Self.chat)
        h.server.enqueue(.openAIChat(text: "Both answered."), path: Self.chat)
        h.server.enqueue(.json(["which": "slow"]).delayed(by: .seconds(4)), path: "/slow")
        h.server.enqueue(.json(["which": "quick"]), path: "/quick")

        let (runID, record) = try await h.run(Self.workflow(tools: tools))
        #expect(record.status == .completed, "\(String(describing: record.error))")
        #expect(h.server.requests(path: "/slow").count == 1)
        #expect(h.server.requests(path: "/quick").count == 1)
        // The second call's request arrived before the first call's result was recorded (which
        // was at least the delay after its request), and the quick result was recorded first.
        let recorded = try await h.events(runID).compactMap { event -> (id: String, at: Date)? in
            guard case .stepCheckpointed(_, _, _, let data) = event.kind, data["record"]?["type"] == "tool_call" else { return nil }
            return (data["record"]?["id"]?.asText ?? "", event.at.date)
        }
        #expect(recorded.map(\.id) == ["call_quick", "call_slow"])
        let quickArrived = try #require(h.server.requests(path: "/quick").first?.receivedAt)
        let slowRecorded = try #require(recorded.first { $0.id == "call_slow" }?.at)
        #expect(quickArrived < slowRecorded, "the first call had finished before the second one started")
        // Still, the model reads both results in call order.
        let results = AgentEngineHarness.toolMessages(h.turns.last)
        #expect(results.map { $0["tool_call_id"] } == ["call_slow", "call_quick"])
        #expect(results.map { Self.body(of: $0) } == [["which": "slow"], ["which": "quick"]])
    }

    // MARK: 3. A failing tool

    @Test func aFailingToolIsRetriedUnderItsOwnPolicyWithOneKeyThenTheModelReadsTheError() async throws {
        let h = try await AgentEngineHarness()
        defer { Task { await h.shutdown() } }
        let tools = """
            - name: flaky
              http: {method: POST, url: "${{ input.base }}/flaky", json: {n: 1}}
              retry: {max_attempts: 3, initial_interval: 10ms, jitter: 0}
            """
        h.server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "flaky", id: "call_f")]), path: Self.chat)
        h.server.enqueue(.openAIChat(text: "The service is down."), path: Self.chat)
        h.server.enqueue(.json(status: 500, ["error": "boom"]), times: 3, path: "/flaky")

        let (runID, record) = try await h.run(Self.workflow(tools: tools))
        #expect(record.status == .completed, "\(String(describing: record.error))")
        #expect(record.output?["text"] == "The service is down.")

        let attempts = h.server.requests(path: "/flaky")
        #expect(attempts.count == 3)
        #expect(attempts.map { $0.header("Idempotency-Key") } == Array(repeating: "\(runID)/work/1/1/call_f", count: 3))
        let result = AgentEngineHarness.toolMessages(h.turns.last).first?["content"]?.asText ?? ""
        #expect(result.hasPrefix("Error: The tool failed (3 attempts): http.status"), "\(result)")
        // The step itself went on: no failure, one attempt.
        #expect(try await h.failures(runID).isEmpty)
        let call = try await h.checkpoints(runID).compactMap { $0["record"] }.first { $0["type"] == "tool_call" }
        #expect(call?["attempts"] == 3)
        #expect(call?["is_error"] == true)
    }

    // MARK: 4. Budgets

    @Test func theToolCallBudgetEndsTheStepWithoutARetry() async throws {
        let h = try await AgentEngineHarness()
        defer { Task { await h.shutdown() } }
        h.server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "lookup", arguments: ["id": "A"])]), path: Self.chat)
        h.server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "lookup", arguments: ["id": "B"]), FakeToolCall(name: "lookup", arguments: ["id": "C"])]),
                         times: 3, path: Self.chat)
        h.server.enqueue(.json(["found": true]), times: 3, path: "/lookup/A")

        let (runID, record) = try await h.run(Self.workflow(tools: Self.lookup, extra: "budget: {tool_calls: 2}", stepRetry: true))
        #expect(record.status == .failed)
        #expect(record.error?.type == "agent.budget")
        #expect(record.error?.message.contains("3 tool calls, over its budget of 2") == true, "\(String(describing: record.error))")
        #expect(try await h.failures(runID).map(\.type) == ["agent.budget"])
        #expect(h.turns.count == 2)
        // The calls over the budget were never made.
        #expect(h.requests(under: "/lookup").map(\.path) == ["/lookup/A"])
    }

    @Test func theTokenBudgetEndsTheStepWithoutARetry() async throws {
        let h = try await AgentEngineHarness()
        defer { Task { await h.shutdown() } }
        // 19 tokens a turn: the first turn is within 30, the second is not.
        h.server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "lookup", arguments: ["id": "A"])], promptTokens: 12, completionTokens: 7),
                         times: 4, path: Self.chat)
        h.server.enqueue(.json(["found": true]), times: 4, path: "/lookup/A")

        let (runID, record) = try await h.run(Self.workflow(tools: Self.lookup, extra: "budget: {tokens: 30}", stepRetry: true))
        #expect(record.status == .failed)
        #expect(record.error?.type == "agent.budget")
        #expect(record.error?.message.contains("38 tokens, over its budget of 30") == true, "\(String(describing: record.error))")
        #expect(try await h.failures(runID).map(\.type) == ["agent.budget"])
        #expect(h.turns.count == 2)
        #expect(h.server.requests(path: "/lookup/A").count == 1)
    }

    // MARK: 5. A large result

    @Test func aLargeResultIsCutForTheModelAndRecordedWhole() async throws {
        let h = try await AgentEngineHarness()
        defer { Task { await h.shutdown() } }
        let tools = """
            - name: dump
              http: {url: "${{ input.base }}/dump"}
            """
        h.server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "dump", id: "call_dump")]), path: Self.chat)
        h.server.enqueue(.openAIChat(text: "That was long."), path: Self.chat)
        h.server.enqueue(.text(String(repeating: "0123456789", count: 10_000)), path: "/dump")

        let (runID, record) = try await h.run(Self.workflow(tools: tools))
        #expect(record.status == .completed, "\(String(describing: record.error))")

        let call = try #require(try await h.checkpoints(runID).compactMap { $0["record"] }.first { $0["type"] == "tool_call" })
        let bytes = try #require(call["result_bytes"].flatMap { if case .int(let value) = $0 { value } else { nil } })
        #expect(bytes > 100_000)
        let recorded = call["result"]?.asText ?? ""
        // (Booleans first: a failure should not print 100 KB.)
        #expect(recorded.utf8.count == bytes)
        let recordsTheBody = recorded.contains("\"body\":\"0123456789")
        #expect(recordsTheBody)

        let shown = AgentEngineHarness.toolMessages(h.turns.last).first?["content"]?.asText ?? ""
        let note = "\n[… cut: the result has \(bytes) bytes; the first 16384 are shown]"
        let endsWithTheNote = shown.hasSuffix(note)
        #expect(endsWithTheNote)
        #expect(shown.utf8.count == 16_384 + note.utf8.count)
        let showsTheStart = recorded.hasPrefix(String(shown.dropLast(note.count)))
        #expect(showsTheStart)
    }

    // MARK: 6. Time limits of a person's answer and of an approval

    @Test func aWaitToolWhoseTimeLimitPassesTellsTheModelNoAnswerArrived() async throws {
        let h = try await AgentEngineHarness()
        defer { Task { await h.shutdown() } }
        let tools = """
            - name: ask_person
              wait: {signal: answer, timeout: 100ms}
            """
        h.server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "ask_person", arguments: ["question": "Which order?"], id: "call_ask")]), path: Self.chat)
        h.server.enqueue(.openAIChat(text: "Nobody answered."), path: Self.chat)

        let (runID, record) = try await h.run(Self.workflow(tools: tools))
        #expect(record.status == .completed, "\(String(describing: record.error))")
        let result = AgentEngineHarness.toolMessages(h.turns.last).first
        #expect(result?["tool_call_id"] == "call_ask")
        #expect(result?["content"] == "Error: No answer arrived within 100ms.")
        let types = try await h.events(runID).map(\.kind.type)
        #expect(types.contains("StepSuspended"))
        #expect(types.contains("TimerFired"))
        #expect(try await h.checkpoints(runID).compactMap { $0["record"] }.contains { $0["type"] == "answer" && $0["timed_out"] == true })
    }

    @Test func anApprovalWhoseTimeLimitPassesRefusesTheCallWhichIsNeverMade() async throws {
        let h = try await AgentEngineHarness()
        defer { Task { await h.shutdown() } }
        let tools = """
            - name: refund
              http: {method: POST, url: "${{ input.base }}/refunds", json: "${{ args }}"}
              approval: {signal: approve_refund, timeout: 100ms}
            """
        h.server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "refund", arguments: ["amount": 5], id: "call_refund")]), path: Self.chat)
        h.server.enqueue(.openAIChat(text: "Not refunded."), path: Self.chat)

        let (runID, record) = try await h.run(Self.workflow(tools: tools))
        #expect(record.status == .completed, "\(String(describing: record.error))")
        #expect(h.server.requests(path: "/refunds").isEmpty)
        let result = AgentEngineHarness.toolMessages(h.turns.last).first
        #expect(result?["content"] == "Error: A person refused this call, so it was not made. Reason: no approval arrived within 100ms")
        let approval = try await h.checkpoints(runID).compactMap { $0["record"] }.first { $0["type"] == "approval" }
        #expect(approval?["approve"] == false)
    }

    // MARK: 10. A resumed attempt

    @Test func theAttemptResumedByAnApprovalMakesTheCallWithoutAskingTheModelAgain() async throws {
        let h = try await AgentEngineHarness()
        defer { Task { await h.shutdown() } }
        let tools = """
            - name: refund
              http: {method: POST, url: "${{ input.base }}/refunds", json: "${{ args }}"}
              approval: {signal: approve_refund}
            """
        h.server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "refund", arguments: ["amount": 5], id: "call_refund")]), path: Self.chat)
        h.server.enqueue(.openAIChat(text: "Refunded."), path: Self.chat)
        h.server.enqueue(.json(["refund": "r-1"]), path: "/refunds")

        let runID = try await h.start(Self.workflow(tools: tools))
        guard case .waiting = try await h.engine.drive(runID: runID, untilFinished: false) else {
            Issue.record("the run should wait for the approval")
            return
        }
        #expect(h.turns.count == 1)
        #expect(h.server.requests(path: "/refunds").isEmpty)

        _ = try await h.engine.signal(runID: runID, name: "approve_refund", payload: ["approve": true])
        let record = try await h.finish(runID)
        #expect(record.status == .completed, "\(String(describing: record.error))")
        #expect(record.output?["turns"] == 2)
        // The resumed attempt made the call first, then asked the model once, with its result.
        #expect(h.server.requests.map(\.path) == [Self.chat, "/refunds", Self.chat])
        #expect(h.server.requests(path: "/refunds").first?.json == ["amount": 5])
        #expect(AgentEngineHarness.toolMessages(h.turns.last).first.flatMap(Self.body(of:)) == ["refund": "r-1"])
        let types = try await h.events(runID).map(\.kind.type)
        #expect(types.filter { $0 == "StepStarted" }.count == 2)
        #expect(types.filter { $0 == "StepSuspended" }.count == 1)
    }
}
