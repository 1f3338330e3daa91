import ApexDSL
import ApexFakeProvider
import Foundation
import Testing

/// Scripted tool calls on the wire, as a raw client sees them.
extension FakeServerTests {
    static let weatherCall = FakeToolCall(name: "get_weather", arguments: ["city": "Paris", "units": "metric"], id: "call_w")
    static let timeCall = FakeToolCall(name: "get_time", arguments: ["tz": "Europe/Paris"])

    @Test func streamsOpenAIToolCallsAsFragmentsByIndex() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.openAIChat(toolCalls: [Self.weatherCall, Self.timeCall]).shaped(StreamShape(pieceBytes: 4)), path: "/v1/chat/completions")
            let (body, _) = try await client.fetchPartially("/v1/chat/completions", json: ["model": "gpt-test", "stream": true])
            let deltas = parseSSE(body).dropLast().compactMap { $0.json?["choices"]?.arrayValue?.first }
            #expect(deltas.first?["delta"]?["content"] == .null)
            #expect(deltas.last?["finish_reason"] == "tool_calls")
            let fragments = deltas.flatMap { $0["delta"]?["tool_calls"]?.arrayValue ?? [] }
            for (index, call) in [Self.weatherCall, Self.timeCall].enumerated() {
                let mine = fragments.filter { $0["index"] == .int(index) }
                // The first fragment names the call; the others carry only pieces of the arguments.
                #expect(mine.first?["id"] == .string(call.id ?? "call_fake1_\(index)"))
                #expect(mine.first?["type"] == "function")
                #expect(mine.first?["function"] == ["name": .string(call.name), "arguments": ""])
                #expect(mine.dropFirst().allSatisfy { $0["id"] == nil && $0["function"]?["name"] == nil })
                #expect(mine.count > 3)
                #expect(mine.compactMap { $0["function"]?["arguments"]?.stringValue }.joined() == call.arguments)
            }
        }
    }

    @Test func answersAWholeOpenAIToolCallCompletion() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.openAIChat(toolCalls: [Self.weatherCall, Self.timeCall]), path: "/v1/chat/completions")
            let reply = try await client.fetch("/v1/chat/completions", body: #"{"model":"gpt-test"}"#)
            let choice = try #require(reply.json?["choices"]?.arrayValue?.first)
            #expect(choice["finish_reason"] == "tool_calls")
            #expect(choice["message"]?["content"] == .null)
            #expect(choice["message"]?["tool_calls"] == [
                ["id": "call_w", "type": "function", "function": ["name": "get_weather", "arguments": #"{"city":"Paris","units":"metric"}"#]],
                ["id": "call_fake1_1", "type": "function", "function": ["name": "get_time", "arguments": #"{"tz":"Europe/Paris"}"#]],
            ])
        }
    }

    @Test func sendsMalformedAnthropicToolInputAsPiecesOrAsAString() async throws {
        try await withFakeServer { server, client throws in
            let raw = #"{"city": "Pa"#
            let response = FakeResponse.anthropicMessage(toolCalls: [FakeToolCall(name: "not_offered", rawArguments: raw)]).shaped(StreamShape(pieceBytes: 2))
            server.enqueue(response, times: 2, path: "/v1/messages")
            let (body, _) = try await client.fetchPartially("/v1/messages", json: ["model": "m", "stream": true])
            let events = parseSSE(body)
            #expect(events.first { $0.name == "content_block_start" }?.json?["content_block"]?["name"] == "not_offered")
            let pieces = events.compactMap { $0.json?["delta"]?["partial_json"]?.stringValue }
            #expect(pieces.count > 3)
            #expect(pieces.joined() == raw)
            let whole = try await client.fetch("/v1/messages", body: #"{"model":"m"}"#)
            #expect(whole.json?["content"]?.arrayValue?.first?["input"] == .string(raw))
        }
    }

    @Test func sendsAVendorReplyWholeWhenToldToIgnoreTheStream() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.anthropicMessage(toolCalls: [Self.timeCall]).ignoringStream(), path: "/v1/messages")
            let reply = try await client.fetch("/v1/messages", body: #"{"model":"m","stream":true}"#)
            #expect(reply.header("content-type") == "application/json")
            #expect(reply.json?["content"]?.arrayValue?.first?["input"] == ["tz": "Europe/Paris"])
        }
    }

    @Test func recordsTheToolsAndToolMessagesARequestSent() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.openAIChat(text: "ok"), path: "/v1/chat/completions")
            let body: JSONValue = [
                "model": "m",
                "messages": [["role": "tool", "tool_call_id": "c1", "content": "18°C"]],
                "tools": [["type": "function", "function": ["name": "get_weather", "parameters": ["type": "object"]]]],
            ]
            _ = try await client.fetch("/v1/chat/completions", body: body.compactJSON)
            server.enqueue(.anthropicMessage(text: "ok"), path: "/v1/messages")
            _ = try await client.fetch("/v1/messages", body: #"{"model":"m","tools":[{"name":"a","input_schema":{}},{"name":"b","input_schema":{}}]}"#)
            let requests = server.requests
            #expect(requests.map(\.offeredToolNames) == [["get_weather"], ["a", "b"]])
            #expect(requests[0].messages == [["role": "tool", "tool_call_id": "c1", "content": "18°C"]])
            #expect(requests[1].messages == [])
        }
    }
}
