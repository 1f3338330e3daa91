import ApexDSL
import ApexEngine
import ApexFakeProvider
import Foundation
import Testing

/// The built binary calling real-format providers and tools: the fake server on 127.0.0.1
/// speaks the OpenAI and Anthropic wire formats and plain HTTP, scripted per request, and logs
/// every request, so "requested exactly once" is counted on the server's side.
@Suite(.enabled(if: ApexBinary.url != nil, "the apex executable has not been built"), .serialized, .timeLimit(.minutes(3)))
struct ProviderEndToEndTests {
    static let openAIKey = "sk-test-openai-5f1c9a7e"
    static let anthropicKey = "sk-ant-test-0b6e2d44"
    static let toolToken = "tool-token-93ad17"

    let folder: TemporaryFolder
    let server: FakeProviderServer
    let environment: [String: String]

    init() async throws {
        folder = try TemporaryFolder()
        server = try await FakeProviderServer.start()
        environment = [
            "APEX_HOME": folder.path + "/home", "NO_COLOR": "1",
            "OPENAI_API_KEY": Self.openAIKey, "OPENAI_BASE_URL": server.openAIBaseURL,
            "ANTHROPIC_API_KEY": Self.anthropicKey, "ANTHROPIC_BASE_URL": server.anthropicBaseURL,
            "APEX_SECRET_TOOL_TOKEN": Self.toolToken,
        ]
        try folder.write("agent.yaml", """
            apex: 1
            name: agent
            input:
              type: object
              required: [tools, city]
              properties: {tools: {type: string}, city: {type: string}}
            llm: {provider: openai, model: gpt-test}
            defaults:
              retry: {initial_interval: 100ms, jitter: 0}
            steps:
              - id: weather
                http:
                  url: ${{ input.tools }}/tools/weather
                  query: {city: "${{ input.city }}"}
                  headers: {Authorization: "Bearer ${{ secrets.TOOL_TOKEN }}"}
              - id: plan
                llm:
                  prompt: "It is ${{ steps.weather.output.body.temp }} degrees. Plan the day."
                  schema:
                    type: object
                    required: [activity]
                    properties: {activity: {type: string}}
              - id: notify
                http:
                  method: POST
                  url: ${{ input.tools }}/tools/notify
                  json: {activity: "${{ steps.plan.output.data.activity }}"}
              - id: summary
                llm:
                  provider: anthropic
                  model: claude-test
                  max_tokens: 200
                  prompt: "Summarise: ${{ steps.plan.output.data.activity }}"
            output:
              activity: ${{ steps.plan.output.data.activity }}
              notified: ${{ steps.notify.output.body.body.activity }}
              summary: ${{ steps.summary.output.text }}
              tokens: ${{ steps.summary.output.usage.output_tokens }}
            """)
    }

    private func apex(_ arguments: String...) async throws -> CommandResult {
        try await ApexBinary.run(arguments, in: folder.path, environment: environment)
    }

    private func history(_ run: String) async throws -> [JSONValue] {
        try await apex("history", run, "--json").output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    /// The `StepFailed` events of a step: their error types and back-offs in milliseconds.
    private func failures(_ run: String, step: String) async throws -> [(type: String, backoff: Int?)] {
        try await history(run).filter { $0["type"]?.stringValue == "StepFailed" && $0["step"]?.stringValue == step }.map { event in
            let at = Timestamp(rfc3339: event["at"]?.stringValue ?? "")
            let retryAt = event["retry_at"]?.stringValue.flatMap { Timestamp(rfc3339: $0) }
            return (event["error"]?["type"]?.stringValue ?? "", at.flatMap { at in retryAt.map { Int($0.milliseconds - at.milliseconds) } })
        }
    }

    /// Every byte of the store: the database file and its write-ahead log.
    private func storeBytes() -> Data {
        let base = folder.path + "/home/apex.db"
        return ["", "-wal", "-shm"].compactMap { FileManager.default.contents(atPath: base + $0) }.reduce(Data(), +)
    }

    /// Through a CONNECT proxy (Tests/Fixtures/proxy/connect_proxy.py, which tunnels every
    /// host to the fake server): made-up host names that resolve nowhere reach the server only
    /// through it, and NO_PROXY hosts do not go through it.
    @Test func providersAndHTTPStepsGoThroughTheEnvironmentsProxyExceptForNoProxyHosts() async throws {
        defer { Task { [server] in try? await server.shutdown() } }
        try folder.write("proxied.yaml", """
            apex: 1
            name: proxied
            input: {type: object, properties: {direct: {type: string}}}
            llm: {provider: openai, model: gpt-test}
            steps:
              - id: outside
                http: {url: "http://tools.example/weather"}
              - id: inside
                http: {url: "${{ input.direct }}/tools/inside"}
              - id: ask
                llm: {prompt: "It is ${{ steps.outside.output.body.temp }} degrees."}
            output: ${{ steps.ask.output.text }}
            """)
        server.enqueue(.json(["temp": 21]), path: "/weather")
        server.enqueue(.json(["ok": true]), path: "/tools/inside")
        server.enqueue(.openAIChat(text: "Warm."), path: "/v1/chat/completions")
        let log = folder.path + "/proxy.log"
        let proxy = try await ConnectProxy.start(upstreamPort: URL(string: server.baseURL)!.port!, log: log)
        defer { proxy.terminate() }
        var environment = self.environment
        environment["OPENAI_BASE_URL"] = "http://api.openai.example/v1"
        environment["HTTP_PROXY"] = "http://127.0.0.1:\(proxy.port)"
        environment["NO_PROXY"] = "localhost,127.0.0.1"
        let result = try await ApexBinary.run(["run", "proxied.yaml", "-i", "direct=\(server.baseURL)"], in: folder.path, environment: environment)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("Warm."))
        #expect(server.requests(path: "/weather").first?.header("host") == "tools.example")
        #expect(server.requests(path: "/v1/chat/completions").first?.header("host") == "api.openai.example")
        #expect(server.requests(path: "/tools/inside").count == 1)
        let tunnels = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        #expect(tunnels.sorted() == ["CONNECT api.openai.example:80", "CONNECT tools.example:80"], "NO_PROXY hosts are reached directly")
    }

    @Test func runsLLMAndHTTPStepsRetryingWhatThePolicyAllows() async throws {
        defer { Task { [server] in try? await server.shutdown() } }
        server.enqueue(.json(["temp": 21]), path: "/tools/weather")
        server.enqueue(.openAIChat(text: "Sure! Let's go hiking."), path: "/v1/chat/completions")
        server.enqueue(.openAIChat(text: #"{"activity":"hiking"}"#), path: "/v1/chat/completions")
        server.enqueue(.echo(), path: "/tools/notify")
        server.enqueue(.anthropicError(status: 529, type: "overloaded_error", message: "Overloaded"), path: "/v1/messages")
        server.enqueue(.anthropicMessage(text: "A day of hiking — ölçülü 🌄", outputTokens: 9), path: "/v1/messages")

        let result = try await apex("run", "agent.yaml", "--id", "agent-1", "-i", "tools=\(server.baseURL)", "-i", "city=Oslo")
        #expect(result.status == 0, "\(result.error)")
        let output = try JSONValue(parsing: result.output)
        #expect(output == ["activity": "hiking", "notified": "hiking", "summary": "A day of hiking — ölçülü 🌄", "tokens": 9])
        #expect(server.unscriptedRequests == 0)

        // Each tool was called once, with the secret and the idempotency key on the wire.
        let weather = server.requests(path: "/tools/weather")
        #expect(weather.count == 1)
        #expect(weather.first?.query == "city=Oslo")
        #expect(weather.first?.header("authorization") == "Bearer \(Self.toolToken)")
        let notify = server.requests(path: "/tools/notify")
        #expect(notify.map { $0.header("idempotency-key") } == ["agent-1/notify/1"])
        #expect(notify.first?.json == ["activity": "hiking"])

        // The schema mismatch and the 529 were each retried once after the policy's 100 ms.
        let chats = server.requests(path: "/v1/chat/completions")
        #expect(chats.count == 2)
        #expect(chats.allSatisfy { $0.header("authorization") == "Bearer \(Self.openAIKey)" })
        #expect(chats.first?.json?["response_format"]?["type"] == "json_schema")
        let messages = server.requests(path: "/v1/messages")
        #expect(messages.count == 2)
        #expect(messages.allSatisfy { $0.header("x-api-key") == Self.anthropicKey && $0.header("anthropic-version") == "2023-06-01" })
        #expect(messages.first?.json?["max_tokens"] == 200)
        #expect(try await failures("agent-1", step: "plan").map(\.type) == ["llm.schema_mismatch"])
        #expect(try await failures("agent-1", step: "summary").map(\.type) == ["llm.overloaded"])
        #expect(try await failures("agent-1", step: "summary").map(\.backoff) == [100])

        // Keys and secrets reach the wire only: not the store, not what apex shows.
        let stored = storeBytes()
        for secret in [Self.openAIKey, Self.anthropicKey, Self.toolToken] {
            #expect(stored.range(of: Data(secret.utf8)) == nil, "\(secret) is in the store")
            for command in [["show", "agent-1"], ["history", "agent-1", "--json"]] {
                let shown = try await ApexBinary.run(command, in: folder.path, environment: environment)
                #expect(!(shown.output + shown.error).contains(secret))
            }
        }
        #expect(!result.error.contains(Self.openAIKey) && !result.error.contains(Self.toolToken))
        let show = try await apex("show", "agent-1")
        #expect(show.output.contains("tokens"), "\(show.output)")
    }

    @Test func retryAfterRaisesTheBackOffUpToTheStepTimeout() async throws {
        defer { Task { [server] in try? await server.shutdown() } }
        try folder.write("limited.yaml", """
            apex: 1
            name: limited
            llm: {provider: openai, model: gpt-test}
            steps:
              - id: first
                retry: {initial_interval: 100ms, jitter: 0}
                llm: {prompt: one}
              - id: second
                retry: {initial_interval: 100ms, jitter: 0}
                timeout: 1500ms
                llm: {prompt: two}
            output: ${{ steps.second.output.text }}
            """)
        let chat = "/v1/chat/completions"
        server.enqueue(.openAIError(status: 429, type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached").retryAfter("1"), path: chat)
        server.enqueue(.openAIChat(text: "one done"), path: chat)
        server.enqueue(.openAIError(status: 429, type: "requests", code: "rate_limit_exceeded", message: "Slow down").retryAfter("300"), path: chat)
        server.enqueue(.openAIChat(text: "two done"), path: chat)

        let result = try await apex("run", "limited.yaml", "--id", "limited-1")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("two done"))
        #expect(try await failures("limited-1", step: "first").map(\.backoff) == [1000])
        #expect(try await failures("limited-1", step: "second").map(\.backoff) == [1500])
        #expect(try await failures("limited-1", step: "second").map(\.type) == ["llm.rate_limited"])
        #expect(server.requests(path: chat).count == 4)
    }

    @Test func aKillMidStreamRetriesOnlyTheInterruptedCall() async throws {
        defer { Task { [server] in try? await server.shutdown() } }
        try folder.write("story.yaml", """
            apex: 1
            name: story
            llm: {provider: anthropic, model: claude-test, max_tokens: 300}
            steps:
              - id: outline
                llm: {prompt: "outline"}
              - id: draft
                llm: {prompt: "draft from ${{ steps.outline.output.text }}"}
              - id: title
                llm: {provider: openai, model: gpt-test, prompt: "title for ${{ steps.draft.output.text }}"}
            output: {title: "${{ steps.title.output.text }}", draft: "${{ steps.draft.output.text }}"}
            """)
        let messages = "/v1/messages"
        server.enqueue(.anthropicMessage(text: "three acts"), path: messages)
        // Two words a second: still streaming when the process is killed.
        server.enqueue(.anthropicMessage(text: String(repeating: "slowly ", count: 100)).paced(writeBytes: 40, delay: .milliseconds(250)), path: messages)

        let first = try BackgroundApex(["run", "story.yaml", "--id", "story-1"], in: folder.path, environment: environment)
        let deadline = Date().addingTimeInterval(30)
        while server.requests(path: messages).count < 2, Date() < deadline { try await Task.sleep(nanoseconds: 50_000_000) }
        try await Task.sleep(nanoseconds: 700_000_000)
        first.kill()
        #expect(server.requests(path: messages).count == 2, "the draft call never started")

        server.enqueue(.anthropicMessage(text: "a quick draft"), path: messages)
        server.enqueue(.openAIChat(text: "The Title"), path: "/v1/chat/completions")
        let resumed = try await apex("resume", "story-1")
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(try JSONValue(parsing: resumed.output) == ["title": "The Title", "draft": "a quick draft"])

        // outline once, draft twice (the killed attempt and its retry), title once.
        let prompts = server.requests(path: messages).map { $0.json?["messages"]?.arrayValue?.first?["content"] }
        #expect(prompts == ["outline", "draft from three acts", "draft from three acts"])
        #expect(server.requests(path: "/v1/chat/completions").count == 1)
        #expect(try await failures("story-1", step: "draft").map(\.type) == ["worker.lost"])
    }
}
