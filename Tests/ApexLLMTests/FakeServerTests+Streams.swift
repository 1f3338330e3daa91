import ApexDSL
@testable import ApexFakeProvider
import Foundation
import Testing

extension FakeServerTests {
    static let multibyteText = "Grüße, 世界! 🎉 done"

    @Test func streamsAnOpenAIReplyWhoseWritesSplitInsideCharacters() async throws {
        try await withFakeServer { server, client throws in
            let response = FakeResponse.openAIChat(text: Self.multibyteText, finishReason: "length", promptTokens: 4, completionTokens: 6)
                .shaped(StreamShape(pieceBytes: 5)).paced(writeBytes: 7)
            server.enqueue(response, path: "/v1/chat/completions")
            let request: JSONValue = ["model": "gpt-test", "stream": true, "stream_options": ["include_usage": true]]
            let (body, broke) = try await client.fetchPartially("/v1/chat/completions", json: request)
            #expect(!broke)
            let events = parseSSE(body)
            #expect(events.last?.data == "[DONE]")
            let chunks = events.dropLast().compactMap(\.json)
            #expect(chunks.count == events.count - 1)
            #expect(chunks.first?["choices"]?.arrayValue?.first?["delta"]?["role"] == "assistant")
            let text = chunks.compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue }.joined()
            #expect(text == Self.multibyteText)
            #expect(chunks.dropLast().last?["choices"]?.arrayValue?.first?["finish_reason"] == "length")
            #expect(chunks.last?["choices"] == [])
            #expect(chunks.last?["usage"]?["total_tokens"] == 10)
            #expect(chunks.allSatisfy { $0["model"] == "gpt-test" && $0["id"] == "chatcmpl-fake1" })
        }
    }

    @Test func cutsWritesInsideUTF8CharactersAndSSELines() throws {
        let request = RecordedRequest(id: 1, connectionID: 1, method: "POST", path: "/v1/chat/completions", query: nil, headers: [],
                                      body: Data(#"{"stream":true}"#.utf8))
        let plan = FakeResponse.openAIChat(text: Self.multibyteText).paced(writeBytes: 7).plan(for: request)
        guard case .writes(let writes) = plan.body else { Issue.record("expected writes"); return }
        #expect(writes.dropLast().allSatisfy { $0.count == 7 })
        #expect(writes.contains { String(bytes: $0, encoding: .utf8) == nil })
        #expect(writes.contains { write in write.contains(UInt8(ascii: "\n")) && write.last != UInt8(ascii: "\n") })
        #expect(plan.chunked)
    }

    @Test func streamsWithoutTheUsageChunkUnlessAsked() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.openAIChat(text: "hi"), path: "/v1/chat/completions")
            let (body, _) = try await client.fetchPartially("/v1/chat/completions", json: ["model": "m", "stream": true])
            let chunks = parseSSE(body).dropLast().compactMap(\.json)
            #expect(chunks.count == 3)
            #expect(chunks.allSatisfy { $0.objectValue?.keys.contains("usage") == false && $0["choices"]?.arrayValue?.count == 1 })
        }
    }

    @Test func streamsAnAnthropicReplyInEventOrderWithPings() async throws {
        try await withFakeServer { server, client throws in
            let response = FakeResponse.anthropicMessage(text: Self.multibyteText, inputTokens: 20, outputTokens: 6)
                .shaped(StreamShape(pieceBytes: 10, pings: true)).paced(writeBytes: 3)
            server.enqueue(response, path: "/v1/messages")
            let (body, broke) = try await client.fetchPartially("/v1/messages", json: ["model": "claude-test", "stream": true])
            #expect(!broke)
            let events = parseSSE(body)
            #expect(events.allSatisfy { $0.json?["type"]?.stringValue == $0.name })
            let names = events.compactMap(\.name).filter { $0 != "ping" }
            let deltaCount = names.filter { $0 == "content_block_delta" }.count
            #expect(names == ["message_start", "content_block_start"] + Array(repeating: "content_block_delta", count: deltaCount)
                + ["content_block_stop", "message_delta", "message_stop"])
            #expect(events.filter { $0.name == "ping" }.count == deltaCount)
            let text = events.compactMap { $0.json?["delta"]?["text"]?.stringValue }.joined()
            #expect(text == Self.multibyteText)
            #expect(events.first?.json?["message"]?["usage"]?["input_tokens"] == 20)
            #expect(events.first(where: { $0.name == "message_delta" })?.json?["usage"]?["output_tokens"] == 6)
        }
    }

    @Test func streamsAnthropicToolInputAsJSONPieces() async throws {
        try await withFakeServer { server, client throws in
            let input: JSONValue = ["queue": "facilities", "floor": 3]
            server.enqueue(.anthropicToolUse(name: "answer", input: input).shaped(StreamShape(pieceBytes: 4)), path: "/v1/messages")
            let (body, _) = try await client.fetchPartially("/v1/messages", json: ["model": "m", "stream": true])
            let events = parseSSE(body)
            #expect(events.first { $0.name == "content_block_start" }?.json?["content_block"]?["name"] == "answer")
            let pieces = events.compactMap { $0.json?["delta"]?["partial_json"]?.stringValue }
            #expect(pieces.count > 3)
            #expect(try JSONValue(parsing: pieces.joined()) == input)
            #expect(events.first { $0.name == "message_delta" }?.json?["delta"]?["stop_reason"] == "tool_use")
        }
    }

    @Test func rendersCRLFCommentsAndDataWithoutSpace() async throws {
        try await withFakeServer { server, client throws in
            let shape = StreamShape(crlf: true, commentLines: true, spaceAfterColon: false)
            server.enqueue(.anthropicMessage(text: "odd but valid").shaped(shape), path: "/v1/messages")
            let (body, _) = try await client.fetchPartially("/v1/messages", json: ["model": "m", "stream": true])
            #expect(body.contains("\r\nevent:message_start\r\ndata:{"))
            #expect(body.hasPrefix(": "))
            #expect(parseSSE(body).compactMap { $0.json?["delta"]?["text"]?.stringValue }.joined() == "odd but valid")
        }
    }

    @Test func endsAStreamWithAnInBandError() async throws {
        try await withFakeServer { server, client throws in
            let response = FakeResponse.anthropicMessage(text: "abcdefghij").shaped(StreamShape(pieceBytes: 2))
                .failingMidStream(.errorEvent(afterDeltas: 2))
            server.enqueue(response, path: "/v1/messages")
            server.enqueue(.openAIChat(text: "abcdef").shaped(StreamShape(pieceBytes: 2)).failingMidStream(.errorEvent(afterDeltas: 1)),
                           path: "/v1/chat/completions")
            let anthropic = parseSSE(try await client.fetchPartially("/v1/messages", json: ["stream": true]).body)
            #expect(anthropic.filter { $0.name == "content_block_delta" }.count == 2)
            #expect(anthropic.last?.name == "error")
            #expect(anthropic.last?.json?["error"]?["type"] == "overloaded_error")
            let openAI = parseSSE(try await client.fetchPartially("/v1/chat/completions", json: ["stream": true]).body)
            #expect(openAI.count == 3)
            #expect(openAI.last?.json?["error"]?["type"] == "server_error")
        }
    }

    @Test func closesTheConnectionMidStream() async throws {
        try await withFakeServer { server, client throws in
            let response = FakeResponse.openAIChat(text: "abcdefghij").shaped(StreamShape(pieceBytes: 2))
                .failingMidStream(.disconnect(afterDeltas: 1))
            server.enqueue(response, path: "/v1/chat/completions")
            let (body, broke) = try await client.fetchPartially("/v1/chat/completions", json: ["stream": true])
            #expect(broke)
            let events = parseSSE(body)
            #expect(events.count == 2)
            #expect(events.last?.json?["choices"]?.arrayValue?.first?["delta"]?["content"] == "ab")
            #expect(!body.contains("[DONE]"))
        }
    }
}
