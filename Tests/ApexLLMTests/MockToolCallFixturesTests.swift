import ApexDSL
import ApexEngine
@testable import ApexLLM
import Foundation
import Testing

/// Fixtures that script tool calls turn by turn (docs/cli.md, "Mock fixtures").
@Suite struct MockToolCallFixturesTests {
    /// Turn `call` of an agent step.
    private func request(call: Int, attempt: Int = 1) -> LLMRequest {
        LLMRequest(stepID: "research", stepKey: "research", visit: 1, attempt: attempt, call: call, model: nil,
                   messages: [.init(role: "user", content: "Weather in Paris?")], temperature: nil, maxTokens: nil, stop: [], schema: nil,
                   tools: ToolCallRequestBodyTests.tools)
    }

    @Test func aTwoTurnScriptCallsATool() async throws {
        let fixtures = try MockFixtures(json: ["research": [
            ["text": "Let me look.", "tool_calls": [
                ["name": "get_weather", "arguments": ["city": "Paris", "days": 2]],
                ["name": "get_time", "id": "my-id"],
            ]],
            "It is 18°C.",
        ]])
        let provider = MockLLMProvider(fixtures: fixtures)
        let first = try await provider.complete(request(call: 1), progress: .ignored)
        #expect(first.text == "Let me look.")
        #expect(first.finishReason == "tool_calls")
        #expect(first.toolCalls == [
            LLMToolCall(id: "call_1_0", name: "get_weather", arguments: #"{"city":"Paris","days":2}"#),
            LLMToolCall(id: "my-id", name: "get_time", arguments: "{}"),
        ])
        let second = try await provider.complete(request(call: 2), progress: .ignored)
        #expect(second.text == "It is 18°C.")
        #expect(second.finishReason == "stop")
        #expect(second.toolCalls.isEmpty)
    }

    @Test func idsComeFromTheCallNumberSoAReplayGetsTheSameOnes() throws {
        let fixtures = try MockFixtures(json: ["research": ["tool_calls": [["name": "a"], ["name": "b"]]]])
        #expect(fixtures.answer(request(call: 3))?.toolCalls.map(\.id) == ["call_3_0", "call_3_1"])
        #expect(fixtures.answer(request(call: 3)) == fixtures.answer(request(call: 3)))
        #expect(fixtures.answer(request(call: 4))?.toolCalls.map(\.id) == ["call_4_0", "call_4_1"])
    }

    @Test func stringArgumentsGoAsTheyAreSoAScriptCanSendMalformedOnes() async throws {
        let fixtures = try MockFixtures(json: ["research": ["tool_calls": [
            ["name": "get_weather", "arguments": #"{"city": "Par"#],
            ["name": "not_offered", "arguments": [1, "two"]],
        ]]])
        let reply = try await MockLLMProvider(fixtures: fixtures).complete(request(call: 1), progress: .ignored)
        #expect(reply.text == "")
        #expect(reply.toolCalls.map(\.arguments) == [#"{"city": "Par"#, #"[1,"two"]"#])
        #expect(reply.toolCalls.map(\.name) == ["get_weather", "not_offered"])
    }

    @Test func failingAttemptsComeBeforeTheCalls() throws {
        let fixtures = try MockFixtures(json: ["research": [["error": "llm.rate_limited", "fail_attempts": 1, "tool_calls": [["name": "a"]]], "done"]])
        #expect(fixtures.answer(request(call: 1))?.error?.type == "llm.rate_limited")
        #expect(fixtures.answer(request(call: 1))?.toolCalls == [])
        #expect(fixtures.answer(request(call: 2, attempt: 2))?.toolCalls == [LLMToolCall(id: "call_2_0", name: "a", arguments: "{}")])
        #expect(fixtures.answer(request(call: 3))?.text == "done")
    }

    @Test func malformedToolCallsAreErrors() {
        #expect(message(["s": ["tool_calls": ["name": "a"]]])?.contains("tool_calls of s must be a list") == true)
        #expect(message(["s": ["tool_calls": ["a"]]])?.contains("each of the tool_calls of s must be a mapping with a name") == true)
        #expect(message(["s": ["tool_calls": [["arguments": [:]]]]])?.contains("must be a mapping with a name") == true)
        #expect(message(["s": ["tool_calls": [["name": "a", "args": [:]]]]])?.contains(#"unknown field "args" in a tool call of s"#) == true)
        #expect(message(["s": ["tool_calls": [["name": "a", "id": 3]]]])?.contains("the id of a tool call of s must be a string") == true)
        #expect(message(["s": ["tool_calls": [["name": "a"]]]]) == nil)
    }

    private func message(_ json: JSONValue) -> String? {
        do {
            _ = try MockFixtures(json: json)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func aFixturesFileScriptsToolCallsInYAML() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("apex-fixtures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("fixtures.yaml").path
        // The example of docs/cli.md, "Mock fixtures".
        try """
            research:
              - text: Let me look that up.            # turn 1: two calls
                tool_calls:
                  - {name: get_weather, arguments: {city: Paris}}        # id call_1_0
                  - {name: get_weather, arguments: '{"city": ', id: bad}  # malformed
              - It is 18°C in Paris.                  # turn 2, and every turn after it
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let fixtures = try MockFixtures(json: try JSONValue(parsing: try MockFixtures.json(path: path).compactJSON))
        let first = try #require(fixtures.answer(request(call: 1)))
        #expect(first.text == "Let me look that up.")
        #expect(first.toolCalls == [
            LLMToolCall(id: "call_1_0", name: "get_weather", arguments: #"{"city":"Paris"}"#),
            LLMToolCall(id: "bad", name: "get_weather", arguments: #"{"city": "#),
        ])
        for call in 2...3 {
            #expect(fixtures.answer(request(call: call))?.text == "It is 18°C in Paris.")
            #expect(fixtures.answer(request(call: call))?.toolCalls == [])
        }
    }
}
