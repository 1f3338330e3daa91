import ApexDSL
import ApexFakeProvider
@testable import ApexLLM
import Testing

/// Every failure a provider can answer with, mapped to its error type, through the fake server.
@Suite struct ProviderErrorTests {
    typealias Support = ProviderTestSupport

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var response: FakeResponse
        var type: String
        var retryAfterMilliseconds: Int64? = nil
        var retryable: Bool? = nil
        var testDescription: String { name }
    }

    static let openAICases: [Case] = [
        Case(name: "429 retry-after", response: .openAIError(status: 429, type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached").retryAfter("2"),
             type: "llm.rate_limited", retryAfterMilliseconds: 2000),
        Case(name: "429 retry-after-ms", response: .openAIError(status: 429, type: "tokens", code: "rate_limit_exceeded", message: "Slow down").retryAfter("9").retryAfterMilliseconds(250),
             type: "llm.rate_limited", retryAfterMilliseconds: 250),
        Case(name: "429 insufficient_quota", response: .openAIError(status: 429, type: "insufficient_quota", code: "insufficient_quota", message: "You exceeded your current quota"),
             type: "llm.invalid_request", retryable: false),
        Case(name: "500", response: .openAIError(status: 500, type: "server_error", message: "The server had an error"), type: "llm.server_error"),
        Case(name: "503", response: .openAIError(status: 503, type: "server_error", message: "Slow down"), type: "llm.overloaded"),
        Case(name: "500 x-should-retry false", response: .openAIError(status: 500, type: "server_error", message: "no").shouldRetry(false),
             type: "llm.server_error", retryable: false),
        Case(name: "401", response: .openAIError(status: 401, type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key provided: \(Support.apiKey)"),
             type: "llm.auth"),
        Case(name: "403", response: .openAIError(status: 403, type: "invalid_request_error", code: "unsupported_country_region_territory", message: "Country not supported"), type: "llm.auth"),
        Case(name: "400", response: .openAIError(status: 400, type: "invalid_request_error", code: "context_length_exceeded", message: "too long"), type: "llm.invalid_request"),
        Case(name: "404", response: .openAIError(status: 404, type: "invalid_request_error", code: "model_not_found", message: "The model does not exist"), type: "llm.invalid_request"),
        Case(name: "422", response: .openAIError(status: 422, type: "invalid_request_error", message: "Unprocessable"), type: "llm.invalid_request"),
    ]

    static let anthropicCases: [Case] = [
        Case(name: "429 retry-after", response: .anthropicError(status: 429, type: "rate_limit_error", message: "Number of requests has exceeded your rate limit").retryAfter("3"),
             type: "llm.rate_limited", retryAfterMilliseconds: 3000),
        Case(name: "429 retry-after-ms", response: .anthropicError(status: 429, type: "rate_limit_error", message: "Slow down").retryAfterMilliseconds(120),
             type: "llm.rate_limited", retryAfterMilliseconds: 120),
        Case(name: "500", response: .anthropicError(status: 500, type: "api_error", message: "Internal server error"), type: "llm.server_error"),
        Case(name: "503", response: .anthropicError(status: 503, type: "api_error", message: "Unavailable"), type: "llm.overloaded"),
        Case(name: "529", response: .anthropicError(status: 529, type: "overloaded_error", message: "Overloaded"), type: "llm.overloaded"),
        Case(name: "529 x-should-retry false", response: .anthropicError(status: 529, type: "overloaded_error", message: "Overloaded").shouldRetry(false),
             type: "llm.overloaded", retryable: false),
        Case(name: "401", response: .anthropicError(status: 401, type: "authentication_error", message: "invalid x-api-key \(Support.apiKey)"), type: "llm.auth"),
        Case(name: "403", response: .anthropicError(status: 403, type: "permission_error", message: "Not allowed"), type: "llm.auth"),
        Case(name: "400", response: .anthropicError(status: 400, type: "invalid_request_error", message: "messages: field required"), type: "llm.invalid_request"),
        Case(name: "404", response: .anthropicError(status: 404, type: "not_found_error", message: "model: nope"), type: "llm.invalid_request"),
        Case(name: "413", response: .anthropicError(status: 413, type: "request_too_large", message: "Request exceeds the maximum size"), type: "llm.invalid_request"),
        Case(name: "422", response: .anthropicError(status: 422, type: "invalid_request_error", message: "Unprocessable"), type: "llm.invalid_request"),
    ]

    private static func check(_ error: LLMError?, _ expected: Case, server: FakeProviderServer) {
        #expect(error?.type == expected.type)
        #expect(error?.retryAfter?.milliseconds == expected.retryAfterMilliseconds)
        #expect(error?.retryable == expected.retryable)
        let message = error?.message ?? ""
        #expect(message.contains("answered \(expected.name.prefix(3))"))
        #expect(message.contains("(request "), "the provider's request id: \(message)")
        #expect(!message.contains(Support.apiKey))
        #expect(!message.contains("\n"))
        #expect(server.requests.count == 1, "the provider itself never retries")
    }

    @Test(arguments: openAICases)
    func openAIMapsAFailure(_ expected: Case) async throws {
        try await Support.withServer { server in
            server.enqueue(expected.response)
            Self.check(await Support.failure(Support.openAI(server)), expected, server: server)
        }
    }

    @Test(arguments: anthropicCases)
    func anthropicMapsAFailure(_ expected: Case) async throws {
        try await Support.withServer { server in
            server.enqueue(expected.response)
            Self.check(await Support.failure(Support.anthropic(server)), expected, server: server)
        }
    }

    @Test func theProviderMessageIsQuoted() async throws {
        try await Support.withServer { server in
            server.enqueue(.openAIError(status: 404, type: "invalid_request_error", code: "model_not_found", message: "The model `x` does not exist"))
            let error = await Support.failure(Support.openAI(server))
            #expect(error?.message.hasPrefix("OpenAI: answered 404") == true)
            #expect(error?.message.contains("The model `x` does not exist (invalid_request_error, model_not_found)") == true)
        }
    }

    @Test func anHTMLErrorPageIsAServerError() async throws {
        try await Support.withServer { server in
            server.enqueue(.htmlBadGateway())
            let error = await Support.failure(Support.openAI(server))
            #expect(error?.type == "llm.server_error")
            #expect(error?.message.contains("502 Bad Gateway") == true)
        }
    }

    @Test(arguments: [FakeResponse.nonJSON(), FakeResponse.htmlBadGateway(status: 200), FakeResponse.json(["choices": [["index": 0]]]).truncated()])
    func aSuccessThatIsNotAReplyIsAServerError(_ response: FakeResponse) async throws {
        try await Support.withServer { server in
            server.enqueue(response)
            let error = await Support.failure(Support.openAI(server))
            #expect(error?.type == "llm.server_error")
            #expect(error?.message.contains("the provider answered with something that is not") == true)
        }
    }

    @Test func anUnreachableHostIsARetryableServerError() async throws {
        let port = try await Support.closedPort()
        let error = await Support.failure(OpenAIProvider(apiKey: Support.apiKey, baseURL: "http://127.0.0.1:\(port)/v1"))
        #expect(error?.type == "llm.server_error")
        #expect(error?.retryable == nil)
        #expect(error?.message.contains(Support.apiKey) == false)
    }

    @Test func aBaseURLThatCannotBeRequestedIsAnInvalidRequest() async {
        let error = await Support.failure(AnthropicProvider(apiKey: Support.apiKey, baseURL: "ftp://127.0.0.1:1"))
        #expect(error?.type == "llm.invalid_request")
    }

    @Test func aMissingKeyFailsBeforeAnyCall() async {
        #expect(await Support.failure(OpenAIProvider(apiKey: nil)) == LLMError(type: "llm.auth", message: "OPENAI_API_KEY is not set"))
        #expect(await Support.failure(OpenAIProvider(apiKey: "")) == LLMError(type: "llm.auth", message: "OPENAI_API_KEY is not set"))
        #expect(await Support.failure(AnthropicProvider(apiKey: nil)) == LLMError(type: "llm.auth", message: "ANTHROPIC_API_KEY is not set"))
    }
}
