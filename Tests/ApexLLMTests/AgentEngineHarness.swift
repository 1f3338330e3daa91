import ApexCompiler
import ApexDSL
import ApexEngine
import ApexFakeProvider
import ApexLLM
import ApexTesting
import Foundation

/// A real `Engine` on an in-memory store whose `openai` and `anthropic` providers, and the
/// `http` tools of the workflows it runs, all talk to one fake server on 127.0.0.1.
struct AgentEngineHarness {
    static let chat = "/v1/chat/completions"
    static let messages = "/v1/messages"

    let server: FakeProviderServer
    let store = InMemoryRunStore()
    let engine: Engine
    /// The folder the workflows are taken to be read from (an MCP server's working folder).
    let folder: String

    init() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("apex-agent-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        server = try await FakeProviderServer.start()
        let providers: [String: any LLMProvider] = [
            "openai": OpenAIProvider(apiKey: "sk-test-agent", baseURL: server.openAIBaseURL),
            "anthropic": AnthropicProvider(apiKey: "sk-ant-test-agent", baseURL: server.anthropicBaseURL),
        ]
        engine = Engine(store: store, executor: StepActivityExecutor(llm: LLMActivityExecutor(providers: providers)),
                        configuration: EngineConfiguration(workerID: "test"))
    }

    func shutdown() async {
        try? await server.shutdown()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The plan of `source`, which must be valid.
    static func plan(_ source: String, path: String) throws -> Plan {
        let result = WorkflowValidator.validate(data: Data(source.utf8), path: path)
        if result.hasErrors { throw WorkflowSourceError("\(path) is invalid: \(result.diagnostics.map(\.message))") }
        return try Compiler.compile(result)
    }

    /// Starts a run of `source`, taken to be read from `name` in ``folder``, with `input.base`
    /// the fake server's URL.
    func start(_ source: String, name: String = "agent.yaml", children: [WorkflowDefinition] = []) async throws -> String {
        let path = folder + "/" + name
        let definition = WorkflowDefinition(plan: try Self.plan(source, path: path), source: source, path: path)
        return try await engine.start(definition, children: children, input: ["base": .string(server.baseURL)]).runID
    }

    /// Drives the run to its end.
    func finish(_ runID: String) async throws -> RunRecord {
        guard case .finished(let record) = try await engine.drive(runID: runID) else {
            throw WorkflowSourceError("the run \(runID) did not finish")
        }
        return record
    }

    /// Starts `source` and drives it to its end.
    func run(_ source: String) async throws -> (runID: String, record: RunRecord) {
        let runID = try await start(source)
        return (runID, try await finish(runID))
    }

    func events(_ runID: String) async throws -> [Event] {
        try await store.events(runID: runID, after: 0)
    }

    /// The `data` of every `StepCheckpointed`, in order.
    func checkpoints(_ runID: String) async throws -> [JSONValue] {
        try await events(runID).compactMap { event in
            if case .stepCheckpointed(_, _, _, let data) = event.kind { data } else { nil }
        }
    }

    /// The errors of every `StepFailed`, in order.
    func failures(_ runID: String) async throws -> [RunError] {
        try await events(runID).compactMap { event in
            if case .stepFailed(_, _, _, let error, _) = event.kind { error } else { nil }
        }
    }

    /// The model requests on OpenAI's wire, in order.
    var turns: [RecordedRequest] { server.requests(path: Self.chat) }

    /// The `tool` messages of an OpenAI request, in order.
    static func toolMessages(_ request: RecordedRequest?) -> [JSONValue] {
        request?.messages.filter { $0["role"] == "tool" } ?? []
    }

    /// The requests to paths that start with `prefix`.
    func requests(under prefix: String) -> [RecordedRequest] {
        server.requests.filter { $0.path.hasPrefix(prefix) }
    }
}

extension JSONValue {
    /// The text of a string value, "" otherwise (for `contains` checks).
    var asText: String { stringValue ?? "" }
}
