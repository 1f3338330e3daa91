import ApexDSL
import ApexFakeProvider
@testable import ApexLLM
import Testing

/// Tool calls through the fake server over loopback HTTP, for both vendors, streamed and whole
/// (`ignoringStream()`: one JSON body although the request asked for a stream).
@Suite struct ProviderToolCallTests {
    typealias Support = ProviderTestSupport

    static let tools = ToolCallRequestBodyTests.tools
    static let text = "Let me check — naïve ✓ 🎉"

    private static func request(_ messages: [LLMRequest.Message] = [.init(role: "user", content: "Weather in Paris?")]) -> LLMRequest {
        LLMRequest(stepID: "s", stepKey: "s", visit: 1, attempt: 1, model: "test-model", messages: messages,
                   temperature: nil, maxTokens: nil, stop: [], schema: nil, tools: tools)
    }

    private static func scripted(_ response: FakeResponse, streamed: Bool) -> FakeResponse {
        let shaped = response.shaped(StreamShape(pieceBytes: 3)).paced(writeBytes: 5)
        return streamed ? shaped : shaped.ignoringStream()
    }

    /// Calls `provider` and checks how the text arrived: in many pieces when streamed, in one when whole.
    private static func call(_ provider: any LLMProvider, _ request: LLMRequest = request(), streamed: Bool) async throws -> LLMReply {
        let reported = ReportedText()
        let reply = try await provider.complete(request, progress: reported.progress)
        #expect(reported.pieces.joined() == reply.text)
        if !reply.text.isEmpty { #expect(streamed ? reported.pieces.count > 1 : reported.pieces.count == 1) }
        return reply
    }

    @Test(arguments: [true, false])
    func openAIRepliesWithOneCallAndWithTwoParallelCalls(streamed: Bool) async throws {
        try await Support.withServer { server in
            server.enqueue(Self.scripted(.openAIChat(toolCalls: [FakeToolCall(name: "get_weather", arguments: ["city": "Paris"], id: "call_w")]), streamed: streamed))
            server.enqueue(Self.scripted(.openAIChat(toolCalls: [
                FakeToolCall(name: "get_weather", arguments: ["city": "Lyon", "note": "naïve ✓"]), FakeToolCall(name: "get_time", arguments: ["tz": "CET"]),
            ], text: Self.text), streamed: streamed))
            let one = try await Self.call(Support.openAI(server), streamed: streamed)
            #expect(one == LLMReply(text: "", model: "test-model", finishReason: "tool_calls", inputTokens: 12, outputTokens: 7, toolCalls: [
                LLMToolCall(id: "call_w", name: "get_weather", arguments: #"{"city":"Paris"}"#),
            ]))
            let two = try await Self.call(Support.openAI(server), streamed: streamed)
            #expect(two.text == Self.text)
            #expect(two.toolCalls == [
                LLMToolCall(id: "call_fake2_0", name: "get_weather", arguments: #"{"city":"Lyon","note":"naïve ✓"}"#),
                LLMToolCall(id: "call_fake2_1", name: "get_time", arguments: #"{"tz":"CET"}"#),
            ])
            let sent = try #require(server.requests.first)
            #expect(sent.offeredToolNames == ["get_weather", "get_time"])
            #expect(sent.json?["tool_choice"] == "auto")
        }
    }

    @Test(arguments: [true, false])
    func anthropicRepliesWithOneCallAndWithTwoParallelCalls(streamed: Bool) async throws {
        try await Support.withServer { server in
            server.enqueue(Self.scripted(.anthropicMessage(toolCalls: [FakeToolCall(name: "get_weather", arguments: ["city": "Paris"], id: "toolu_w")]),
                                         streamed: streamed))
            server.enqueue(Self.scripted(.anthropicMessage(toolCalls: [
                FakeToolCall(name: "get_weather", arguments: ["city": "Lyon", "note": "naïve ✓"]), FakeToolCall(name: "get_time", arguments: ["tz": "CET"]),
            ], text: Self.text), streamed: streamed))
            let one = try await Self.call(Support.anthropic(server), streamed: streamed)
            #expect(one == LLMReply(text: "", model: "test-model", finishReason: "tool_use", inputTokens: 12, outputTokens: 7, toolCalls: [
                LLMToolCall(id: "toolu_w", name: "get_weather", arguments: #"{"city":"Paris"}"#),
            ]))
            let two = try await Self.call(Support.anthropic(server), streamed: streamed)
            #expect(two.text == Self.text)
            // Block 0 is the text, so the calls are blocks 1 and 2.
            #expect(two.toolCalls == [
                LLMToolCall(id: "toolu_fake2_1", name: "get_weather", arguments: #"{"city":"Lyon","note":"naïve ✓"}"#),
                LLMToolCall(id: "toolu_fake2_2", name: "get_time", arguments: #"{"tz":"CET"}"#),
            ])
            let sent = try #require(server.requests.first)
            #expect(sent.offeredToolNames == ["get_weather", "get_time"])
            #expect(sent.json?["tool_choice"] == ["type": "auto"])
        }
    }

    @Test(arguments: [true, false])
    func malformedArgumentsAndAnUnofferedToolComeBackAsSent(streamed: Bool) async throws {
        let raw = #"{"city": "Par"#
        try await Support.withServer { server in
            let call = FakeToolCall(name: "delete_everything", rawArguments: raw, id: "x1")
            server.enqueue(Self.scripted(.openAIChat(toolCalls: [call]), streamed: streamed))
            server.enqueue(Self.scripted(.anthropicMessage(toolCalls: [call], stopReason: "max_tokens"), streamed: streamed))
            let openAI = try await Self.call(Support.openAI(server), streamed: streamed)
            let anthropic = try await Self.call(Support.anthropic(server), streamed: streamed)
            #expect(openAI.toolCalls == [LLMToolCall(id: "x1", name: "delete_everything", arguments: raw)])
            #expect(anthropic.toolCalls == [LLMToolCall(id: "x1", name: "delete_everything", arguments: raw)])
            #expect(anthropic.finishReason == "max_tokens")
        }
    }

    @Test func openAISecondTurnSendsTheCallsBackWithTheirResults() async throws {
        try await Support.withServer { server in
            server.enqueue(.openAIChat(toolCalls: [FakeToolCall(name: "get_weather", arguments: ["city": "Paris"]), FakeToolCall(name: "get_time")]))
            server.enqueue(.openAIChat(text: "18°C at noon"))
            let provider = Support.openAI(server)
            let first = try await provider.complete(Self.request(), progress: .ignored)
            try #require(first.toolCalls.count == 2)
            let followUp = Self.request(Self.request().messages + [
                .init(role: "assistant", content: first.text, toolCalls: first.toolCalls),
                .init(role: "tool", content: "18°C", toolCallID: first.toolCalls[0].id),
                .init(role: "tool", content: "clock broken", toolCallID: first.toolCalls[1].id, isError: true),
            ])
            let second = try await provider.complete(followUp, progress: .ignored)
            #expect(second.text == "18°C at noon")
            #expect(second.toolCalls.isEmpty)
            let expected: [JSONValue] = [
                ["role": "assistant", "content": nil, "tool_calls": [
                    ["id": "call_fake1_0", "type": "function", "function": ["name": "get_weather", "arguments": #"{"city":"Paris"}"#]],
                    ["id": "call_fake1_1", "type": "function", "function": ["name": "get_time", "arguments": "{}"]],
                ]],
                ["role": "tool", "tool_call_id": "call_fake1_0", "content": "18°C"],
                ["role": "tool", "tool_call_id": "call_fake1_1", "content": "Error: clock broken"],
            ]
            #expect(Array(server.requests[1].messages.dropFirst()) == expected)
        }
    }

    @Test func anthropicSecondTurnSendsTheCallsBackWithTheirResultsInOneUserTurn() async throws {
        try await Support.withServer { server in
            server.enqueue(.anthropicMessage(toolCalls: [FakeToolCall(name: "get_weather", arguments: ["city": "Paris"]), FakeToolCall(name: "get_time")],
                                             text: "Checking."))
            server.enqueue(.anthropicMessage(text: "18°C at noon"))
            let provider = Support.anthropic(server)
            let first = try await provider.complete(Self.request(), progress: .ignored)
            try #require(first.toolCalls.count == 2)
            let followUp = Self.request(Self.request().messages + [
                .init(role: "assistant", content: first.text, toolCalls: first.toolCalls),
                .init(role: "tool", content: "18°C", toolCallID: first.toolCalls[0].id),
                .init(role: "tool", content: "clock broken", toolCallID: first.toolCalls[1].id, isError: true),
            ])
            let second = try await provider.complete(followUp, progress: .ignored)
            #expect(second.text == "18°C at noon")
            let expected: [JSONValue] = [
                ["role": "assistant", "content": [
                    ["type": "text", "text": "Checking."],
                    ["type": "tool_use", "id": "toolu_fake1_1", "name": "get_weather", "input": ["city": "Paris"]],
                    ["type": "tool_use", "id": "toolu_fake1_2", "name": "get_time", "input": [:]],
                ]],
                ["role": "user", "content": [
                    ["type": "tool_result", "tool_use_id": "toolu_fake1_1", "content": "18°C"],
                    ["type": "tool_result", "tool_use_id": "toolu_fake1_2", "content": "clock broken", "is_error": true],
                ]],
            ]
            #expect(Array(server.requests[1].messages.dropFirst()) == expected)
        }
    }
}
