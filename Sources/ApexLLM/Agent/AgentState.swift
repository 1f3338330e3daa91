import ApexDSL
import ApexEngine
import OrderedCollections

/// Where an agent attempt stands: the conversation after the prompt, the counts, and the tool
/// calls of the latest turn. It is the attempt's checkpoint (``json(recording:)``), so the next
/// attempt, after a crash or a suspension, resumes exactly here.
///
/// The prompt itself is not kept (it may hold secrets): each attempt evaluates it again.
struct AgentState: Sendable {
    /// A tool call of the latest turn and how far it got.
    struct Call: Sendable {
        enum Status: String, Sendable {
            /// To run (again, after `attempts` attempts).
            case pending
            /// Waits for a person to approve it (its tool's `approval`).
            case awaitingApproval = "awaiting_approval"
            /// A `wait` tool: waits for a person's answer.
            case awaitingAnswer = "awaiting_answer"
            /// Has its result.
            case done
        }

        var id: String
        var name: String
        var arguments: String
        var status: Status
        var attempts = 0
        /// Set for a call that was approved (so it is not asked about again).
        var approved = false
        var result: String?
        var isError = false
    }

    var messages: [LLMRequest.Message] = []
    /// Model requests answered.
    var turns = 0
    /// Tool calls asked for.
    var toolCalls = 0
    var usage = Usage(inputTokens: 0, outputTokens: 0)
    var calls: [Call] = []
    /// Whether the model was told its last answer did not match the schema.
    var toldSchemaMismatch = false
    /// The tools of the step's MCP servers, as they advertised them when the step first started.
    var mcpTools: [AgentToolbox.MCPTool]?

    init() {}


    // MARK: The checkpoint's JSON

    /// The checkpoint: this state, and `record`, what it adds to the history in full (a turn, a
    /// tool call's result, an approval), which `apex show` lists.
    /// `tools` names every tool offered, so that replay can tell when the definition changed them.
    func json(recording record: JSONValue, tools: [String]) -> JSONValue {
        var json: OrderedDictionary<String, JSONValue> = [
            "agent": 1, "tools": .array(tools.map(JSONValue.string)), "turns": .int(turns), "tool_calls": .int(toolCalls), "usage": usage.json,
            "messages": .array(messages.map(Self.json)), "calls": .array(calls.map(Self.json)), "record": record,
        ]
        if toldSchemaMismatch { json["told_schema_mismatch"] = true }
        if let mcpTools { json["mcp_tools"] = .array(mcpTools.map(\.json)) }
        return .object(json)
    }

    /// The state a checkpoint holds; nil for none (the first attempt) or one of another shape.
    init?(checkpoint: JSONValue?) {
        guard let checkpoint, checkpoint["agent"] == 1 else { return nil }
        turns = checkpoint["turns"]?.intValue ?? 0
        toolCalls = checkpoint["tool_calls"]?.intValue ?? 0
        usage = Usage(inputTokens: checkpoint["usage"]?["input_tokens"]?.intValue ?? 0,
                      outputTokens: checkpoint["usage"]?["output_tokens"]?.intValue ?? 0)
        messages = checkpoint["messages"]?.arrayValue?.map(Self.message) ?? []
        calls = checkpoint["calls"]?.arrayValue?.compactMap(Self.call) ?? []
        toldSchemaMismatch = checkpoint["told_schema_mismatch"] == true
        mcpTools = checkpoint["mcp_tools"]?.arrayValue?.compactMap(AgentToolbox.MCPTool.init(json:))
    }

    private static func json(_ message: LLMRequest.Message) -> JSONValue {
        var json: [(String, JSONValue)] = [("role", .string(message.role)), ("content", .string(message.content))]
        if !message.toolCalls.isEmpty {
            json.append(("tool_calls", .array(message.toolCalls.map { ["id": .string($0.id), "name": .string($0.name), "arguments": .string($0.arguments)] })))
        }
        if let id = message.toolCallID { json.append(("tool_call_id", .string(id))) }
        if message.isError { json.append(("is_error", true)) }
        return .object(.init(uniqueKeysWithValues: json))
    }

    private static func message(_ json: JSONValue) -> LLMRequest.Message {
        let calls = json["tool_calls"]?.arrayValue?.map {
            LLMToolCall(id: $0["id"]?.stringValue ?? "", name: $0["name"]?.stringValue ?? "", arguments: $0["arguments"]?.stringValue ?? "")
        } ?? []
        return LLMRequest.Message(role: json["role"]?.stringValue ?? "user", content: json["content"]?.stringValue ?? "", toolCalls: calls,
                                  toolCallID: json["tool_call_id"]?.stringValue, isError: json["is_error"] == true)
    }

    private static func json(_ call: Call) -> JSONValue {
        var json: [(String, JSONValue)] = [
            ("id", .string(call.id)), ("name", .string(call.name)), ("arguments", .string(call.arguments)),
            ("status", .string(call.status.rawValue)), ("attempts", .int(call.attempts)),
        ]
        if call.approved { json.append(("approved", true)) }
        if let result = call.result { json.append(("result", .string(result))) }
        if call.isError { json.append(("is_error", true)) }
        return .object(.init(uniqueKeysWithValues: json))
    }

    private static func call(_ json: JSONValue) -> Call? {
        guard let id = json["id"]?.stringValue, let name = json["name"]?.stringValue,
              let status = json["status"]?.stringValue.flatMap(Call.Status.init(rawValue:)) else { return nil }
        var call = Call(id: id, name: name, arguments: json["arguments"]?.stringValue ?? "", status: status)
        call.attempts = json["attempts"]?.intValue ?? 0
        call.approved = json["approved"] == true
        call.result = json["result"]?.stringValue
        call.isError = json["is_error"] == true
        return call
    }
}

extension JSONValue {
    /// An integer, also from a whole float.
    var intValue: Int? {
        switch self {
        case .int(let value): value
        case .double(let value) where value.rounded() == value && abs(value) < 1e15: Int(value)
        default: nil
        }
    }
}
