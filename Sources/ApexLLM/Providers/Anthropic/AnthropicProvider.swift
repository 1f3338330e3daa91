import ApexDSL
import ApexEngine
import NIOHTTP1

/// The Anthropic Messages API: `POST <baseURL>/v1/messages`, streamed, each piece of text
/// reported as progress. With a schema, the reply is the input of a forced tool call (see
/// ``AnthropicRequestBody`` and ``AnthropicReplyAssembler``).
public struct AnthropicProvider: LLMProvider {
    public static let defaultBaseURL = "https://api.anthropic.com"
    /// The API version every request names.
    static let apiVersion = "2023-06-01"

    private let apiKey: String?
    private let baseURL: String
    private let transport: HTTPTransport

    public init(apiKey: String?, baseURL: String = AnthropicProvider.defaultBaseURL, transport: HTTPTransport = .shared) {
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.transport = transport
    }

    public func complete(_ request: LLMRequest, progress: ActivityProgress) async throws(LLMError) -> LLMReply {
        guard let apiKey else { throw LLMError(type: "llm.auth", message: "ANTHROPIC_API_KEY is not set") }
        let context = ProviderContext(vendor: "Anthropic", apiKey: apiKey)
        guard let model = request.model, !model.isEmpty else {
            throw context.error("llm.invalid_request", "the step names no model")
        }
        let headers: HTTPHeaders = ["x-api-key": apiKey, "anthropic-version": Self.apiVersion]
        let exchange = ProviderExchange(transport: transport, context: context, requestIDHeader: "request-id")
        var assembler = AnthropicReplyAssembler(model: model, wantsTool: request.schema != nil)
        let body = AnthropicRequestBody.make(request, model: model)
        if let failure = try await exchange.post(baseURL + "/v1/messages", headers: headers, body: body, assembler: &assembler, progress: progress) {
            throw exchange.error(for: failure)
        }
        return assembler.reply
    }
}
