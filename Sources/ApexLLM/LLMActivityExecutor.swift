import ApexCompiler
import ApexDSL
import ApexEngine
import Foundation
import OrderedCollections

/// Runs `llm` steps: evaluates the step's fields (with secrets), calls the provider, and with
/// a `schema` parses and validates the reply (`llm.schema_mismatch` when it does not match).
///
/// Each call goes where its run's recorded routing says (``LLMRouting``); a run that recorded
/// none goes where this process's `fallback` says (the flags it was given).
public struct LLMActivityExecutor: Sendable {
    private let providers: [String: any LLMProvider]
    private let fallback: LLMRouting
    /// The mock providers of the fixtures runs recorded, made once per distinct fixtures.
    private let mocks: MockProviders
    /// The providers' keys, to tell which runs this process can call models for (nil: any).
    private let configuration: ProviderConfiguration?

    /// - Parameters:
    ///   - providers: The providers by name; `mock` among them answers runs routed to the mock
    ///     without fixtures.
    ///   - fallback: The routing of runs that recorded none (started before routing was recorded).
    ///   - mockCallLog: Where mock providers made for recorded fixtures log their calls.
    ///   - configuration: The keys that real providers need; without it every run is taken to
    ///     have what it needs.
    public init(providers: [String: any LLMProvider], fallback: LLMRouting = .providers, mockCallLog: String? = nil,
                configuration: ProviderConfiguration? = nil) {
        self.providers = providers
        self.fallback = fallback
        self.configuration = configuration
        self.mocks = MockProviders(callLog: mockCallLog)
    }

    /// One line per provider that a run of `plan` routed by `pins` calls and whose key is
    /// missing here, naming a step that uses it and the variable.
    public func missingKeys(plan: Plan, pins: RunPins) -> [String] {
        guard let configuration, !(LLMRouting(json: pins.llmRouting) ?? fallback).sendsEverythingToMock else { return [] }
        var problems: [String: String] = [:]
        for state in plan.states {
            let options: LLMOptions
            switch state.action {
            case .llm(let llm): options = llm
            case .agent(let agent): options = agent.llm
            default: continue
            }
            let provider = options.provider?.value ?? "openai"
            if problems[provider] == nil, let variable = configuration.missingKey(provider: provider) {
                problems[provider] = "step \(state.stepID) uses the \(provider) provider, but \(variable) is not set (in the environment or .env)"
            }
        }
        return problems.keys.sorted().compactMap { problems[$0] }
    }

    /// The provider a call of `request` goes to, or why there is none.
    func provider(for request: ActivityRequest, options: LLMOptions) -> Result<any LLMProvider, RunError> {
        let routing = LLMRouting(json: request.pins.llmRouting) ?? fallback
        switch routing {
        case .mock(let fixtures?):
            do { return .success(try mocks.provider(fixtures: fixtures)) } catch {
                return .failure(RunError(type: "llm.invalid_request", message: "the run's recorded fixtures cannot be read: \(error)", details: ["retryable": false]))
            }
        case .mock(nil):
            return providers["mock"].map { .success($0) } ?? .failure(RunError(type: "llm.auth", message: "provider \"mock\" is not configured"))
        case .providers:
            let name = options.provider?.value ?? "openai"
            return providers[name].map { .success($0) } ?? .failure(RunError(type: "llm.auth", message: "provider \"\(name)\" is not configured"))
        }
    }

    public func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
        guard case .llm(let options) = state.action else {
            return .failed(RunError(type: "llm.invalid_request", message: "step \(state.stepID) has no llm options"), retryAfter: nil)
        }
        let provider: any LLMProvider
        switch self.provider(for: request, options: options) {
        case .success(let found): provider = found
        case .failure(let error): return .failed(error, retryAfter: nil)
        }
        let call: LLMRequest
        do {
            call = try LLMRequestBuilder.build(options, request: request, stepID: state.stepID, secrets: secrets)
        } catch {
            return .failed(RunError(type: "expression", message: error.message, step: request.step, attempt: request.attempt), retryAfter: nil)
        }
        let reply: LLMReply
        do {
            reply = try await provider.complete(call, progress: progress)
        } catch {
            return .failed(RunError(type: error.type, message: error.message, step: request.step, attempt: request.attempt, details: error.details),
                           retryAfter: error.retryAfter)
        }
        var data = JSONValue.null
        if let schema = call.schema {
            guard let parsed = try? JSONValue(parsing: reply.text) else {
                return .failed(RunError(type: "llm.schema_mismatch", message: "the reply is not JSON", step: request.step, attempt: request.attempt), retryAfter: nil)
            }
            if let summary = schema.mismatch(parsed) {
                return .failed(RunError(type: "llm.schema_mismatch", message: "the reply does not match the schema: \(summary)", step: request.step, attempt: request.attempt), retryAfter: nil)
            }
            data = parsed
        }
        let usage = Usage(inputTokens: reply.inputTokens, outputTokens: reply.outputTokens)
        let output: JSONValue = [
            "text": .string(reply.text), "data": data, "model": .string(reply.model),
            "finish_reason": .string(reply.finishReason), "usage": usage.json,
        ]
        return .completed(output: output, usage: usage)
    }
}
