import ApexDSL

/// What a provider says about a failure, read leniently from the shapes in use: OpenAI's
/// `{"error":{message,type,param,code}}` (code a string or, from vLLM, an integer), vLLM's
/// older flat `{"object":"error",message,type,code}`, Anthropic's
/// `{"type":"error","error":{type,message},"request_id"}`, or a plain string `error`.
struct ProviderErrorBody: Sendable, Hashable {
    var message: String?
    var type: String?
    var code: String?
    var param: String?
    var requestID: String?

    /// Reads an error object, or nil when `json` carries none.
    init?(json: JSONValue) {
        guard case .object = json else { return nil }
        let error: JSONValue
        switch json["error"] {
        case .object?: error = json["error"]!
        case .string(let message)?: self.init(message: message); return
        default:
            guard json["message"]?.stringValue != nil else { return nil }
            error = json
        }
        self.init(message: error["message"]?.stringValue, type: error["type"]?.stringValue, code: Self.text(error["code"]),
                  param: error["param"]?.stringValue, requestID: json["request_id"]?.stringValue)
    }

    init(message: String?, type: String? = nil, code: String? = nil, param: String? = nil, requestID: String? = nil) {
        self.message = message
        self.type = type
        self.code = code
        self.param = param
        self.requestID = requestID
    }

    /// The message with its type and code, for an error message: `Overloaded (overloaded_error)`.
    var summary: String {
        let labels = [type, code].compactMap { $0 }.filter { !$0.isEmpty }
        let text = ProviderContext.quoted(message ?? "no message")
        return labels.isEmpty ? text : "\(text) (\(labels.joined(separator: ", ")))"
    }

    /// Whether it says the account's quota is spent (OpenAI's `insufficient_quota`).
    var isQuotaExhausted: Bool { code == "insufficient_quota" || type == "insufficient_quota" }

    /// The error type of an error reported inside a stream, from the vendor's own type.
    var streamErrorType: String {
        switch type ?? "" {
        case "overloaded_error": "llm.overloaded"
        case "rate_limit_error", "rate_limit_exceeded", "requests", "tokens": "llm.rate_limited"
        case "authentication_error", "permission_error": "llm.auth"
        case "invalid_request_error", "not_found_error", "request_too_large": "llm.invalid_request"
        case "timeout_error": "llm.timeout"
        default: isQuotaExhausted ? "llm.invalid_request" : "llm.server_error"
        }
    }

    private static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: text
        case .int(let number)?: String(number)
        default: nil
        }
    }
}
