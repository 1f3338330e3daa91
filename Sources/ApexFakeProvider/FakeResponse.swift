import ApexDSL
import Foundation

/// A scripted reply of the fake server: what to send for one request, and how.
///
/// Build one with a static constructor (`.json`, `.openAIChat`, `.anthropicMessage`, `.openAIError`, ...)
/// and adjust it with the modifiers (`.header`, `.delayed(by:)`, `.paced`, `.shaped`, `.failingMidStream`, ...).
/// Vendor replies are rendered against the request they answer: with `"stream": true` in its body they
/// are sent as a server-sent-event stream, otherwise as one JSON body, so one entry serves both modes.
public struct FakeResponse: Sendable {
    var status: Int
    /// Headers that replace, by name, the ones the content brings (such as `content-type` or `x-request-id`).
    var headers: [(name: String, value: String)]
    var content: Content
    var headDelay: Swift.Duration = .zero
    var pacing = Pacing()
    var streamShape = StreamShape()
    var streamFailure: StreamFailure?
    /// A vendor reply goes as one JSON body even when the request asked for a stream.
    var ignoresStream = false
    var bodyCut: BodyCut?
    /// Keep only this many bytes of the body (and announce that length): malformed, truncated bodies.
    var truncation: Truncation?

    init(status: Int, headers: [(name: String, value: String)], content: Content) {
        self.status = status
        self.headers = headers
        self.content = content
    }

    /// What the body is made of; rendered against the request it answers.
    enum Content: Sendable {
        case bytes(Data, contentType: String?)
        /// `count` bytes made on the fly while they are sent, so that huge bodies cost no memory.
        case generated(count: Int)
        case echo
        /// A vendor error: a JSON body and header that both carry the request id the server makes up.
        case vendorError(VendorError)
        case openAIChat(OpenAIChatReply)
        case anthropicMessage(AnthropicMessageReply)
        /// No response at all: the connection is closed once the request is recorded.
        case hangUp
    }

    struct VendorError: Sendable {
        /// `x-request-id` (OpenAI) or `request-id` (Anthropic).
        var requestIDHeader: String
        var body: @Sendable (_ requestID: String) -> JSONValue
    }

    /// How the body goes out in writes: in pieces of `writeBytes` (nil: as it comes), each after `delay`.
    struct Pacing: Sendable {
        var writeBytes: Int?
        var delay: Swift.Duration = .zero
    }

    /// The body stops after `afterBytes` bytes: the connection then closes, or stays silent.
    struct BodyCut: Sendable {
        var afterBytes: Int
        var then: ResponsePlan.Ending
    }

    enum Truncation: Sendable {
        case half
        case bytes(Int)
    }
}
