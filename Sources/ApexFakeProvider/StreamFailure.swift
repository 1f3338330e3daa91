/// How a streamed reply breaks off after `afterDeltas` content deltas (0: before the first one; when the
/// reply has fewer deltas, after the last). It applies only when the reply is streamed; a non-streamed
/// reply is sent whole.
public enum StreamFailure: Sendable {
    /// An in-band error: OpenAI `data: {"error":{...}}`, Anthropic `event: error`; then the stream ends.
    /// `type` defaults to "server_error" (OpenAI) or "overloaded_error" (Anthropic).
    case errorEvent(afterDeltas: Int, type: String? = nil, message: String = "fake server: injected stream error")
    /// The connection closes with no terminator (no `[DONE]`, no `message_stop`, no last chunk).
    case disconnect(afterDeltas: Int)
    /// Nothing more is sent until the client disconnects or the server shuts down.
    case stall(afterDeltas: Int)

    var afterDeltas: Int {
        switch self {
        case .errorEvent(let count, _, _), .disconnect(let count), .stall(let count): count
        }
    }
}
