import ApexDSL
@testable import ApexLLM
import Foundation
import NIOHTTP1
import Testing

@Suite struct ProviderErrorMappingTests {
    static let statusCases: [(status: Int, type: String)] = [
        (429, "llm.rate_limited"), (503, "llm.overloaded"), (529, "llm.overloaded"), (500, "llm.server_error"),
        (502, "llm.server_error"), (504, "llm.server_error"), (408, "llm.server_error"), (409, "llm.server_error"),
        (401, "llm.auth"), (403, "llm.auth"), (400, "llm.invalid_request"), (404, "llm.invalid_request"),
        (413, "llm.invalid_request"), (422, "llm.invalid_request"), (402, "llm.invalid_request"), (302, "llm.server_error"),
    ]

    @Test(arguments: statusCases)
    func mapsAStatus(status: Int, type: String) {
        #expect(HTTPStatusMapping.errorType(status: status, body: nil) == type)
    }

    @Test func aSpentQuotaIsNotRetried() {
        let body = ProviderErrorBody(json: ["error": ["message": "You exceeded your current quota", "type": "insufficient_quota", "param": nil, "code": "insufficient_quota"]])
        let error = HTTPStatusMapping.error(status: .tooManyRequests, headers: [:], body: body, text: nil, context: ProviderContext(vendor: "OpenAI"))
        #expect(error.type == "llm.invalid_request")
        #expect(error.retryable == false)
        #expect(error.message.contains("quota is exhausted"))
    }

    @Test func xShouldRetryFalseKeepsTheTypeAndForbidsRetrying() {
        let error = HTTPStatusMapping.error(status: .internalServerError, headers: ["x-should-retry": "false"], body: nil, text: "", context: ProviderContext(vendor: "OpenAI"))
        #expect(error.type == "llm.server_error")
        #expect(error.retryable == false)
        #expect(error.details == ["retryable": false])
    }

    @Test func theMessageIsOneLineWithTheProviderMessageAndRequestID() {
        let body = ProviderErrorBody(json: ["type": "error", "error": ["type": "overloaded_error", "message": "Over\nloaded"], "request_id": "req_9"])
        let context = ProviderContext(vendor: "Anthropic", requestID: "req_1")
        let error = HTTPStatusMapping.error(status: HTTPResponseStatus(statusCode: 529), headers: [:], body: body, text: nil, context: context)
        #expect(error.message == "Anthropic: answered 529: Over loaded (overloaded_error) (request req_1)")
    }

    @Test func longProviderMessagesAreCutAt500Characters() {
        let body = ProviderErrorBody(message: String(repeating: "x", count: 2000))
        let error = HTTPStatusMapping.error(status: .badRequest, headers: [:], body: body, text: nil, context: ProviderContext(vendor: "OpenAI"))
        #expect(error.message.contains(String(repeating: "x", count: 500) + "…"))
        #expect(!error.message.contains(String(repeating: "x", count: 501)))
    }

    @Test func theKeyIsBlankedOutOfMessages() {
        let body = ProviderErrorBody(message: "Incorrect API key provided: sk-secret-123")
        let context = ProviderContext(vendor: "OpenAI", apiKey: "sk-secret-123")
        let error = HTTPStatusMapping.error(status: .unauthorized, headers: [:], body: body, text: nil, context: context)
        #expect(!error.message.contains("sk-secret-123"))
        #expect(error.message.contains("[redacted]"))
    }

    @Test func readsTheErrorBodiesInUse() {
        let openAI = ProviderErrorBody(json: ["error": ["message": "m", "type": "t", "param": "p", "code": "c"]])
        #expect(openAI == ProviderErrorBody(message: "m", type: "t", code: "c", param: "p"))
        let vLLMFlat = ProviderErrorBody(json: ["object": "error", "message": "m", "type": "BadRequestError", "code": 400])
        #expect(vLLMFlat == ProviderErrorBody(message: "m", type: "BadRequestError", code: "400"))
        let plain = ProviderErrorBody(json: ["error": "model is loading"])
        #expect(plain?.message == "model is loading")
        #expect(ProviderErrorBody(json: ["id": "x"]) == nil)
        #expect(ProviderErrorBody(json: "text") == nil)
    }

    static let retryAfterCases: [(headers: HTTPHeaders, milliseconds: Int64?)] = [
        (["retry-after-ms": "200"], 200),
        (["retry-after-ms": "150", "retry-after": "9"], 150),
        (["retry-after": "2"], 2000),
        (["retry-after": "0.5"], 500),
        (["retry-after": "0"], nil),
        (["retry-after": "soon"], nil),
        (["retry-after": "Sun, 06 Nov 1994 08:49:37 GMT"], 3000),
        ([:], nil),
    ]

    @Test(arguments: retryAfterCases)
    func readsRetryAfter(headers: HTTPHeaders, milliseconds: Int64?) {
        let now = Date(timeIntervalSince1970: 784_111_774)  // 3 s before the date above
        #expect(RetryAfter.delay(in: headers, now: now) == milliseconds.map { Duration(milliseconds: $0) })
    }

    static let transportCases: [(error: TransportError, type: String)] = [
        (.timeout("slow"), "llm.timeout"), (.connection("refused"), "llm.server_error"), (.invalidURL("x"), "llm.invalid_request"),
        (.tooLarge(limit: 8 * 1024 * 1024), "llm.server_error"), (.cancelled, "cancelled"),
    ]

    @Test(arguments: transportCases)
    func mapsTransportErrors(error: TransportError, type: String) {
        #expect(error.llmError(ProviderContext(vendor: "OpenAI")).type == type)
    }

    static let streamErrorTypes: [(type: String?, mapped: String)] = [
        ("overloaded_error", "llm.overloaded"), ("rate_limit_error", "llm.rate_limited"), ("api_error", "llm.server_error"),
        ("server_error", "llm.server_error"), ("authentication_error", "llm.auth"), ("invalid_request_error", "llm.invalid_request"),
        ("something_new", "llm.server_error"), (nil, "llm.server_error"),
    ]

    @Test(arguments: streamErrorTypes)
    func mapsErrorsReportedInAStream(type: String?, mapped: String) {
        #expect(ProviderErrorBody(message: "x", type: type).streamErrorType == mapped)
    }
}
