import ApexDSL

/// A tool an MCP server offers (`tools/list`).
public struct MCPToolInfo: Sendable, Hashable {
    /// The name to call it by.
    public var name: String
    /// What it does, for the model; nil when the server gives none.
    public var description: String?
    /// The JSON Schema of its arguments (an object schema). Object keys are sorted: the SDK
    /// reads JSON objects into dictionaries, so the server's key order is not kept.
    public var inputSchema: JSONValue

    public init(name: String, description: String?, inputSchema: JSONValue) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }
}

/// What a tool call answered (`tools/call`).
public struct MCPToolResult: Sendable, Hashable {
    /// The text contents joined by newlines; other contents are described in brackets, e.g.
    /// `[image image/png, 1234 bytes]`, `[resource file:///a.txt]` followed by an embedded
    /// resource's text, `[resource link name <uri>]`.
    public var text: String
    /// The result's `structuredContent`, when it has one (object keys sorted).
    public var structured: JSONValue?
    /// True when the tool reported a failure (`isError`): the call itself worked, and the text
    /// says what went wrong, for the model to read.
    public var isError: Bool

    public init(text: String, structured: JSONValue? = nil, isError: Bool = false) {
        self.text = text
        self.structured = structured
        self.isError = isError
    }
}

/// Why an MCP server could not be started or asked something. Its ``message`` names the
/// server's command and, when the server has exited, ends with the last lines of its stderr.
public struct MCPToolError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The command could not be started: not found, not executable, a bad working folder.
        case launchFailed = "launch_failed"
        /// The server exited (or closed its output) before answering.
        case exited
        /// Starting and initializing, or a request, took longer than allowed. The server is
        /// still running after a request's timeout (the request is cancelled), and can be asked again.
        case timedOut = "timed_out"
        /// The server answered the request with a JSON-RPC error (an unknown tool, bad
        /// arguments): a protocol-level refusal, not a tool's own failure (`isError`).
        case rejected
        /// The arguments of a call are not a JSON object.
        case invalidArguments = "invalid_arguments"
        /// The server was used after ``MCPToolServer/stop()``.
        case stopped
        /// The task waiting for the answer was cancelled; the request was cancelled too.
        case cancelled
        /// The server answered something that is not MCP (an answer that cannot be read).
        case protocolError = "protocol_error"
    }

    public var kind: Kind
    /// One or more lines, for a person (and for an agent's step error).
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
