import ApexDSL
import ApexFakeProvider
import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// The fake provider server, exercised over real loopback HTTP.
@Suite struct FakeServerTests {
    @Test func servesEachPathItsOwnQueueInOrderAndTheSharedQueueToOthers() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.text("first"), path: "/a")
            server.enqueue(.text("second"), path: "/a")
            server.enqueue(.text("b"), path: "/b")
            server.enqueue(.text("anything"))
            #expect(try await client.fetch("/a", method: .GET).text == "first")
            #expect(try await client.fetch("/c?x=1", method: .GET).text == "anything")
            #expect(try await client.fetch("/b", method: .GET).text == "b")
            #expect(try await client.fetch("/a", method: .GET).text == "second")
            #expect(server.pendingResponses == 0)
            #expect(server.unscriptedRequests == 0)
        }
    }

    @Test func answers599WhenNothingIsScripted() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.text("once"), path: "/a")
            _ = try await client.fetch("/a", method: .GET)
            let reply = try await client.fetch("/a", method: .GET)
            #expect(reply.status == 599)
            #expect(reply.json?["error"]?["message"] == "fake server: no scripted response for /a")
            #expect(try await client.fetch("/other", method: .GET).status == 599)
            #expect(server.unscriptedRequests == 2)
        }
    }

    @Test func enqueuesOneResponseSeveralTimes() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.openAIError(status: 500, type: "server_error", message: "boom"), times: 2, path: "/v1/chat/completions")
            server.enqueue(.openAIChat(text: "ok"), path: "/v1/chat/completions")
            let statuses = [
                try await client.fetch("/v1/chat/completions", body: "{}").status,
                try await client.fetch("/v1/chat/completions", body: "{}").status,
                try await client.fetch("/v1/chat/completions", body: "{}").status,
            ]
            #expect(statuses == [500, 500, 200])
        }
    }

    @Test func recordsEveryRequestWithIdsHeadersAndBody() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.text("ok"), times: 2)
            let body = #"{"model":"m","max_tokens":5}"#
            let headers = [("X-Api-Key", "k1"), ("anthropic-version", "2023-06-01")]
            _ = try await client.fetch("/v1/messages?beta=true", headers: headers, body: body)
            _ = try await client.fetch("/health", method: .GET)
            let requests = server.requests
            #expect(requests.map(\.id) == [1, 2])
            #expect(requests[0].method == "POST")
            #expect(requests[0].path == "/v1/messages")
            #expect(requests[0].query == "beta=true")
            #expect(requests[0].header("x-api-key") == "k1")
            #expect(requests[0].header("ANTHROPIC-VERSION") == "2023-06-01")
            #expect(requests[0].body == Data(body.utf8))
            #expect(requests[0].json?["max_tokens"] == 5)
            #expect(requests[1].method == "GET")
            #expect(requests[1].body.isEmpty)
            #expect(requests[1].json == nil)
            #expect(server.requests(path: "/health").map(\.id) == [2])
        }
    }

    @Test func keepsConnectionsAliveAcrossRequests() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.text("ok"), times: 3)
            for _ in 0..<3 { _ = try await client.fetch("/ping", method: .GET) }
            #expect(Set(server.requests.map(\.connectionID)).count == 1)
        }
    }

    @Test func resetForgetsScriptsAndLog() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.text("a"), path: "/a")
            server.enqueue(.text("b"), path: "/a")
            _ = try await client.fetch("/a", method: .GET)
            server.reset()
            #expect(server.requests.isEmpty)
            #expect(try await client.fetch("/a", method: .GET).status == 599)
            #expect(server.requests.map(\.id) == [1])
        }
    }

    @Test func answersANonStreamedOpenAIChatCompletion() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.openAIChat(text: "Hello", promptTokens: 3, completionTokens: 2), path: "/v1/chat/completions")
            let reply = try await client.fetch("/v1/chat/completions", body: #"{"model":"gpt-test","messages":[]}"#)
            #expect(reply.status == 200)
            #expect(reply.header("content-type") == "application/json")
            #expect(reply.header("x-request-id") == "req_fake1")
            let json = try #require(reply.json)
            #expect(json["object"] == "chat.completion")
            #expect(json["model"] == "gpt-test")
            #expect(json["choices"]?.arrayValue?.first?["message"]?["content"] == "Hello")
            #expect(json["choices"]?.arrayValue?.first?["finish_reason"] == "stop")
            #expect(json["usage"]?["total_tokens"] == 5)
        }
    }

    @Test func answersAnAnthropicToolUseMessage() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.anthropicToolUse(name: "answer", input: ["queue": "facilities"]), path: "/v1/messages")
            let reply = try await client.fetch("/v1/messages", body: #"{"model":"claude-test","max_tokens":9}"#)
            #expect(reply.header("request-id") == "req_fake1")
            let json = try #require(reply.json)
            #expect(json["type"] == "message")
            #expect(json["model"] == "claude-test")
            #expect(json["stop_reason"] == "tool_use")
            let block = try #require(json["content"]?.arrayValue?.first)
            #expect(block["type"] == "tool_use")
            #expect(block["name"] == "answer")
            #expect(block["input"] == ["queue": "facilities"])
        }
    }

    @Test func sendsVendorShapedErrorsWithRetryHeaders() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.openAIError(status: 429, type: "requests", code: "rate_limit_exceeded", message: "slow down").retryAfter("1")
                .retryAfterMilliseconds(200).shouldRetry(true))
            server.enqueue(.anthropicError(status: 529, type: "overloaded_error", message: "Overloaded"))
            let openAI = try await client.fetch("/v1/chat/completions", body: "{}")
            #expect(openAI.status == 429)
            #expect(openAI.header("retry-after") == "1")
            #expect(openAI.header("retry-after-ms") == "200")
            #expect(openAI.header("x-should-retry") == "true")
            #expect(openAI.header("x-request-id") == "req_fake1")
            #expect(openAI.json == ["error": ["message": "slow down", "type": "requests", "param": nil, "code": "rate_limit_exceeded"]])
            let anthropic = try await client.fetch("/v1/messages", body: "{}")
            #expect(anthropic.status == 529)
            #expect(anthropic.header("request-id") == "req_fake2")
            #expect(anthropic.json?["error"] == ["type": "overloaded_error", "message": "Overloaded"])
            #expect(anthropic.json?["request_id"] == "req_fake2")
        }
    }

    @Test func sendsMalformedBodies() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.htmlBadGateway())
            server.enqueue(.nonJSON())
            server.enqueue(.openAIChat(text: "cut").truncated())
            server.enqueue(.json(["ok": true]).contentType("text/plain"))
            let html = try await client.fetch("/x", method: .GET)
            #expect(html.status == 502)
            #expect(html.header("content-type") == "text/html")
            #expect(html.text.contains("502 Bad Gateway"))
            let nonJSON = try await client.fetch("/x", method: .GET)
            #expect(nonJSON.header("content-type") == "application/json")
            #expect(nonJSON.json == nil)
            let truncated = try await client.fetch("/v1/chat/completions", body: "{}")
            #expect(truncated.status == 200)
            #expect(truncated.text.hasPrefix(#"{"id":"chatcmpl-fake3""#))
            #expect(truncated.json == nil)
            #expect(try await client.fetch("/x", method: .GET).header("content-type") == "text/plain")
        }
    }

    @Test func echoesTheRequest() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.echo(), path: "/tools/echo")
            server.enqueue(.echo(status: 201), path: "/tools/echo")
            let json = try #require(try await client.fetch("/tools/echo?q=1", headers: [("X-Trace", "t1")], body: #"{"a":[1,2]}"#).json)
            #expect(json["method"] == "POST")
            #expect(json["path"] == "/tools/echo")
            #expect(json["query"] == "q=1")
            #expect(json["headers"]?["x-trace"] == "t1")
            #expect(json["body"] == ["a": [1, 2]])
            let text = try await client.fetch("/tools/echo", method: .PUT, body: "plain words")
            #expect(text.status == 201)
            #expect(text.json?["body"] == "plain words")
            #expect(text.json?["query"] == .null)
        }
    }

    @Test func redirects() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.redirect(to: "/elsewhere"), path: "/start")
            let reply = try await client.fetch("/start", method: .GET)
            #expect(reply.status == 302)
            #expect(reply.header("location") == "/elsewhere")
        }
    }

    @Test func sendsATenMegabyteBodyAndTakesAFewMegabytes() async throws {
        try await withFakeServer { server, client throws in
            let size = 10 << 20
            server.enqueue(.bytes(count: size), path: "/big")
            server.enqueue(.text("stored"), path: "/upload")
            let reply = try await client.fetch("/big", method: .GET)
            #expect(reply.body.readableBytes == size)
            let bytes = Array(reply.body.readableBytesView)
            #expect([0, 25, 26, 1_000_003, size - 1].allSatisfy { bytes[$0] == FakeResponse.byte(at: $0) })
            let upload = String(repeating: "x", count: 3 << 20)
            #expect(try await client.fetch("/upload", body: upload).text == "stored")
            #expect(server.requests(path: "/upload").first?.body.count == 3 << 20)
        }
    }

    @Test func hangsUpAfterRecordingTheRequest() async throws {
        try await withFakeServer { server, client throws in
            server.enqueue(.hangUp, path: "/v1/messages")
            await #expect(throws: (any Error).self) {
                _ = try await client.fetch("/v1/messages", body: #"{"model":"m"}"#)
            }
            #expect(server.requests(path: "/v1/messages").count == 1)
        }
    }
}
