import ApexDSL
import ApexEngine
import Foundation
import NIOHTTP1

/// OpenAI Chat Completions, and any server compatible with it (Ollama, vLLM, LM Studio):
/// `POST <baseURL>/chat/completions`, streamed, each piece of text reported as progress.
///
/// The key is required for the public API and optional for another host (a local server):
/// without one, no `Authorization` header is sent. A server that refuses
/// `max_completion_tokens` with a 400 naming it is asked again at once with `max_tokens`, and
/// is sent `max_tokens` from then on (for the life of the process); `sendsLegacyMaxTokens`
/// does so from the start, for servers that ignore the field silently (Ollama).
public struct OpenAIProvider: LLMProvider {
    public static let defaultBaseURL = "https://api.openai.com/v1"

    private let apiKey: String?
    private let baseURL: String
    private let sendsLegacyMaxTokens: Bool
    private let transport: HTTPTransport

    public init(apiKey: String?, baseURL: String = OpenAIProvider.defaultBaseURL, sendsLegacyMaxTokens: Bool = false, transport: HTTPTransport = .shared) {
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.sendsLegacyMaxTokens = sendsLegacyMaxTokens
        self.transport = transport
    }

    /// Whether `baseURL` is OpenAI's public API (which needs a key and reads
    /// `max_completion_tokens`), rather than a compatible server (which may do neither).
    public static func isPublicAPI(baseURL: String) -> Bool {
        URL(string: baseURL)?.host?.lowercased() == "api.openai.com"
    }

    public func complete(_ request: LLMRequest, progress: ActivityProgress) async throws(LLMError) -> LLMReply {
        let context = ProviderContext(vendor: "OpenAI", apiKey: apiKey)
        if apiKey == nil, Self.isPublicAPI(baseURL: baseURL) {
            throw LLMError(type: "llm.auth", message: "OPENAI_API_KEY is not set")
        }
        guard let model = request.model, !model.isEmpty else {
            throw context.error("llm.invalid_request", "the step names no model")
        }
        var headers = HTTPHeaders()
        if let apiKey { headers.add(name: "authorization", value: "Bearer \(apiKey)") }
        let exchange = ProviderExchange(transport: transport, context: context, requestIDHeader: "x-request-id")
        let legacy = sendsLegacyMaxTokens || LegacyMaxTokensServers.shared.contains(baseURL)
        var field: OpenAIRequestBody.MaxTokensField = legacy ? .maxTokens : .maxCompletionTokens
        while true {
            var assembler = OpenAIReplyAssembler(model: model)
            let body = OpenAIRequestBody.make(request, model: model, maxTokensField: field)
            guard let failure = try await exchange.post(baseURL + "/chat/completions", headers: headers, body: body, assembler: &assembler, progress: progress) else {
                return assembler.reply
            }
            guard request.maxTokens != nil, field == .maxCompletionTokens, Self.refusesMaxCompletionTokens(failure) else {
                throw exchange.error(for: failure)
            }
            LegacyMaxTokensServers.shared.insert(baseURL)
            field = .maxTokens
        }
    }

    /// A 400 that names `max_completion_tokens` (as an unknown or unsupported parameter).
    private static func refusesMaxCompletionTokens(_ failure: ProviderExchange.Failure) -> Bool {
        guard failure.status == .badRequest else { return false }
        let field = OpenAIRequestBody.MaxTokensField.maxCompletionTokens.rawValue
        return failure.body?.param == field || (failure.body?.message ?? failure.text ?? "").contains(field)
    }
}
