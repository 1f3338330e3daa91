import NIOHTTP1

/// The error a provider's non-2xx answer maps to (docs/language.md, "LLM providers").
///
/// | status | type |
/// |---|---|
/// | 429 | `llm.rate_limited`, but `llm.invalid_request` when the quota is spent (`insufficient_quota`) |
/// | 503, 529 | `llm.overloaded` |
/// | 408, 409, other 5xx | `llm.server_error` |
/// | 401, 403 | `llm.auth` |
/// | other 4xx (400, 404, 413, 422, …) | `llm.invalid_request` |
/// | anything else (a 1xx or 3xx left over) | `llm.server_error` |
///
/// `retry-after-ms` / `retry-after` set the error's `retryAfter`; `x-should-retry: false` makes
/// it non-retryable whatever its type (`x-should-retry: true` cannot make a 4xx retryable: a
/// type that is not retried by default stays so).
enum HTTPStatusMapping {
    static func errorType(status: Int, body: ProviderErrorBody?) -> String {
        switch status {
        case 429: body?.isQuotaExhausted == true ? "llm.invalid_request" : "llm.rate_limited"
        case 503, 529: "llm.overloaded"
        case 408, 409, 500...599: "llm.server_error"
        case 401, 403: "llm.auth"
        case 400...499: "llm.invalid_request"
        default: "llm.server_error"
        }
    }

    /// The error for answer `status` with `headers` and an error body (`body`, else the raw `text`).
    static func error(status: HTTPResponseStatus, headers: HTTPHeaders, body: ProviderErrorBody?, text: String?, context: ProviderContext) -> LLMError {
        let type = errorType(status: Int(status.code), body: body)
        var detail = "answered \(status.code)"
        if !status.reasonPhrase.isEmpty, status.reasonPhrase != "\(status.code)" { detail += " \(status.reasonPhrase)" }
        if let body {
            detail += ": " + (body.isQuotaExhausted ? "the account's quota is exhausted: " : "") + body.summary
        } else if let text, !text.isEmpty {
            detail += " with a body that is not a provider error: " + ProviderContext.quoted(text)
        }
        let retryable: Bool? = headers.first(name: "x-should-retry")?.lowercased() == "false" || body?.isQuotaExhausted == true ? false : nil
        return context.error(type, detail, retryAfter: RetryAfter.delay(in: headers), retryable: retryable)
    }
}
