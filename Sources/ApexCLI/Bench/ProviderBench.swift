import ApexDSL
import ApexEngine
import ApexFakeProvider
import ApexLLM
import AsyncHTTPClient
import Foundation
import NIOCore

/// The measurements of `apex bench llm`: the provider layer (request building, the streamed
/// reply's SSE parsing and assembly, error mapping) against the fake provider server on
/// 127.0.0.1, and what it leaves once the bare HTTP exchange is taken away.
struct ProviderBench {
    let server: FakeProviderServer
    let console: Console
    /// The reply every call gets: `tokens` words, streamed one word per SSE event.
    let reply: String

    init(server: FakeProviderServer, console: Console, tokens: Int) {
        self.server = server
        self.console = console
        reply = (0..<tokens).map { "word\($0)" }.joined(separator: " ")
    }

    private func report(_ line: String) {
        console.output.writeLine(line)
    }

    private var request: LLMRequest {
        LLMRequest(stepID: "bench", stepKey: "bench", visit: 1, attempt: 1, model: "bench-model",
                   messages: [.init(role: "system", content: "You are terse."), .init(role: "user", content: "Say many words.")],
                   temperature: 0.2, maxTokens: 1024, stop: [], schema: nil)
    }

    /// One streamed call of each provider, `calls` times; returns each provider's p50. The
    /// server sends pre-rendered streams, in the same writes as the bare exchange, so that
    /// the difference between the two is the provider layer's alone.
    func providers(calls: Int) async throws -> [String: Double] {
        var medians: [String: Double] = [:]
        let cases: [(String, any LLMProvider, String, String)] = [
            ("openai", OpenAIProvider(apiKey: "sk-bench", baseURL: server.openAIBaseURL), Self.openAIStream(reply), "/v1/chat/completions"),
            ("anthropic", AnthropicProvider(apiKey: "sk-bench", baseURL: server.anthropicBaseURL), Self.anthropicStream(reply), "/v1/messages"),
        ]
        for (name, provider, stream, path) in cases {
            server.enqueue(paced(stream), times: calls + 1, path: path)
            let call = request
            // Progress goes nowhere, but each piece is still reported, as in a run.
            let progress = ActivityProgress(runID: "bench", step: "bench", visit: 1, attempt: 1) { _ in }
            let sample = try await LatencySample.measureAsync(iterations: calls) {
                let answer = try await provider.complete(call, progress: progress)
                guard answer.text == reply else { throw BenchFailure("\(name) returned a different reply") }
            }
            medians[name] = sample.percentile(0.5)
            report("\(name) streamed call (\(words) tokens, fake server on 127.0.0.1): \(sample.summary(of: "calls"))")
        }
        return medians
    }

    /// The provider layer's own share: each provider's median call less the bare exchange's.
    func layerCost(_ medians: [String: Double], bare: Double) {
        for (name, median) in medians.sorted(by: { $0.key < $1.key }) {
            report(String(format: "%@ provider layer (call p50 - bare exchange p50): %.2f ms", name, max(median - bare, 0)))
        }
    }

    private var words: Int { reply.split(separator: " ").count }

    /// A stream as the server sends it: one flushed write per event (on average).
    private func paced(_ stream: String) -> FakeResponse {
        let bytes = Data(stream.utf8)
        return FakeResponse.raw(headers: [("content-type", "text/event-stream")], body: bytes).paced(writeBytes: max(bytes.count / (words + 2), 1))
    }

    /// The same exchange without the provider layer: a POST of a chat body whose answer is the
    /// same stream in the same writes, read whole by the shared client.
    func bareExchange(calls: Int) async throws -> Double {
        let stream = Self.openAIStream(reply)
        server.enqueue(paced(stream), times: calls + 1, path: "/bare")
        let body = #"{"model":"bench-model","messages":[{"role":"user","content":"Say many words."}],"stream":true}"#
        let sample = try await LatencySample.measureAsync(iterations: calls) {
            var request = HTTPClientRequest(url: server.baseURL + "/bare")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await HTTPTransport.shared.send(request)
            let bytes = try await HTTPTransport.collect(response.body, limit: 1 << 24)
            guard bytes.readableBytes == stream.utf8.count else { throw BenchFailure("the bare exchange lost bytes") }
        }
        report("bare HTTP exchange of the same stream (no provider layer): \(sample.summary(of: "calls"))")
        return sample.percentile(0.5)
    }

    /// The Anthropic event stream of `text`, one word per `text_delta`, as the API sends it.
    static func anthropicStream(_ text: String) -> String {
        func event(_ name: String, _ data: String) -> String { "event: \(name)\ndata: \(data)\n\n" }
        var stream = event("message_start", #"{"type":"message_start","message":{"id":"msg_b","type":"message","role":"assistant","model":"bench-model","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":20,"output_tokens":1}}}"#)
        stream += event("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#)
        for (index, word) in text.split(separator: " ").enumerated() {
            let piece = JSONValue.string(index == 0 ? String(word) : " " + word).compactJSON
            stream += event("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"# + piece + "}}")
        }
        stream += event("content_block_stop", #"{"type":"content_block_stop","index":0}"#)
        stream += event("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":200}}"#)
        return stream + event("message_stop", #"{"type":"message_stop"}"#)
    }

    /// The OpenAI event stream of `text`, one word per event, as the API sends it.
    static func openAIStream(_ text: String) -> String {
        let words = text.split(separator: " ")
        var stream = ""
        for (index, word) in words.enumerated() {
            let piece = JSONValue.string(index == 0 ? String(word) : " " + word).compactJSON
            stream += #"data: {"id":"chatcmpl-b","object":"chat.completion.chunk","created":1,"model":"bench-model","choices":[{"index":0,"delta":{"content":"#
                + piece + #"},"finish_reason":null}]}"# + "\n\n"
        }
        stream += #"data: {"id":"chatcmpl-b","object":"chat.completion.chunk","created":1,"model":"bench-model","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"# + "\n\n"
        return stream + "data: [DONE]\n\n"
    }

    /// Engine time per `openai` llm step against the fake server, a run of `steps` steps on
    /// a SQLite store: the whole cost a workflow pays per call, network on loopback included.
    func enginePerStep(store: any RunStore, steps: Int, iterations: Int) async throws {
        let executor = StepActivityExecutor(llm: LLMActivityExecutor(providers: ProviderConfiguration(
            environment: ["OPENAI_API_KEY": "sk-bench", "OPENAI_BASE_URL": server.openAIBaseURL]).providers()))
        let engine = Engine(store: store, executor: executor, configuration: EngineConfiguration(workerID: "bench-\(getpid())"))
        let workflow = try BenchWorkflow.llmChain(steps, provider: "openai")
        server.enqueue(paced(Self.openAIStream(reply)), times: steps * (iterations + 1), path: "/v1/chat/completions")
        let sample = try await EngineBench.timeRuns(workflow, on: engine, iterations: iterations, per: steps)
        report("per openai llm step (engine + provider + loopback, \(steps) steps a run, / \(steps)): \(sample.summary)")
    }
}
