import ApexDSL
import Foundation

/// One request the fake server received, as the client sent it.
public struct RecordedRequest: Sendable {
    /// 1 for the first request the server received (since start or the last `reset()`), then 2, 3, ...
    public let id: Int
    /// 1 for the first connection the server accepted, then 2, 3, ...: requests on one kept-alive connection share it.
    public let connectionID: Int
    public let method: String
    /// The path without the query, e.g. "/v1/chat/completions".
    public let path: String
    /// What follows `?` in the request target, nil when there is none.
    public let query: String?
    /// Every header in the order received, names as the client spelled them.
    public let headers: [(name: String, value: String)]
    /// The raw body bytes (empty when there was no body).
    public let body: Data
    /// The body parsed as JSON, nil when it is empty or not JSON.
    public let json: JSONValue?
    public let receivedAt: Date

    public init(id: Int, connectionID: Int, method: String, path: String, query: String?, headers: [(name: String, value: String)],
                body: Data, receivedAt: Date = Date()) {
        self.id = id
        self.connectionID = connectionID
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.json = String(data: body, encoding: .utf8).flatMap { try? JSONValue(parsing: $0) }
        self.receivedAt = receivedAt
    }

    /// The first value of the header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The body as UTF-8 text, nil when it is not valid UTF-8.
    public var text: String? { String(data: body, encoding: .utf8) }

    /// The body's `messages` (tool calls and results among them), empty when it has none.
    public var messages: [JSONValue] { json?["messages"]?.arrayValue ?? [] }

    /// The names of the tools the body offers, in order: OpenAI's `tools[].function.name`,
    /// Anthropic's `tools[].name`.
    public var offeredToolNames: [String] {
        (json?["tools"]?.arrayValue ?? []).compactMap { $0["function"]?["name"]?.stringValue ?? $0["name"]?.stringValue }
    }

    /// Whether the body asks for a streamed reply (`"stream": true`).
    var wantsStream: Bool { json?["stream"] == .bool(true) }

    /// Whether a streamed OpenAI reply should end with a usage chunk (`stream_options.include_usage`).
    var wantsStreamUsage: Bool { json?["stream_options"]?["include_usage"] == .bool(true) }

    /// The id the server reports in `x-request-id` / `request-id` headers and Anthropic error bodies.
    var vendorRequestID: String { "req_fake\(id)" }

    /// The `model` the body names, if any.
    var requestedModel: String? { json?["model"]?.stringValue }
}
