import ApexCompiler
import ApexDSL
import ApexEngine
import OrderedCollections

/// Runs `llm` steps: evaluates the step's fields (with secrets), calls the provider, and with
/// a `schema` parses and validates the reply (`llm.schema_mismatch` when it does not match).
public struct LLMActivityExecutor: Sendable {
    private let providers: [String: any LLMProvider]
    /// Sends every step to this provider (`apex run --mock-llm`).
    private let override: String?

    public init(providers: [String: any LLMProvider], override: String? = nil) {
        self.providers = providers
        self.override = override
    }

    public func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
        guard let options = state.llm else {
            return .failed(RunError(type: "llm.invalid_request", message: "step \(state.stepID) has no llm options"), retryAfter: nil)
        }
        let providerName = override ?? options.provider?.value ?? "openai"
        guard let provider = providers[providerName] else {
            return .failed(RunError(type: "llm.auth", message: "provider \"\(providerName)\" is not configured"), retryAfter: nil)
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
            let violations = schema.validate(parsed)
            guard violations.isEmpty else {
                let summary = violations.prefix(3).map(\.description).joined(separator: "; ")
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
