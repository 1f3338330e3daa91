import ApexDSL

/// A tool call a scripted reply asks for, in either vendor's format.
///
/// The arguments are text, so that a script can send what a model may: JSON, malformed JSON
/// (`rawArguments: "{\"city\": "`), or a call of a tool the request never offered (the name is
/// only what the script says).
public struct FakeToolCall: Sendable, Hashable {
    /// nil: one made from the request id and the call's index (`call_fake3_0`, `toolu_fake3_1`).
    public var id: String?
    public var name: String
    /// The arguments as sent: OpenAI's `arguments` text, Anthropic's `partial_json` pieces
    /// joined; a whole Anthropic message has them as its `input` object (as the text itself
    /// when it is not JSON, which the API never does).
    public var arguments: String

    /// A call whose arguments are the compact JSON of `arguments`.
    public init(name: String, arguments: JSONValue = [:], id: String? = nil) {
        self.init(name: name, rawArguments: arguments.compactJSON, id: id)
    }

    /// A call whose arguments are `rawArguments` exactly, JSON or not.
    public init(name: String, rawArguments: String, id: String? = nil) {
        self.id = id
        self.name = name
        self.arguments = rawArguments
    }
}
