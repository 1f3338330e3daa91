import ApexDSL

/// Builds a reply from a vendor's answer: event by event from a stream, or from a whole JSON
/// body (some compatible servers ignore `"stream": true`).
protocol ReplyAssembler {
    /// Takes the next event of the stream and returns the piece of reply text it adds (maybe "").
    mutating func take(_ event: SSEEvent) throws(LLMError) -> String
    /// Whether the stream's end marker (`[DONE]`, `message_stop`) has arrived.
    var isComplete: Bool { get }
    /// What the stream's end marker is, for the error when a stream ends without it.
    static var endMarker: String { get }
    /// The reply, once complete.
    var reply: LLMReply { get }
    /// Reads a whole, non-streamed answer.
    mutating func take(whole json: JSONValue) throws(LLMError)
}
