import ApexDSL
import Foundation

/// Scripted replies for the mock provider (`apex run --llm-fixtures FILE`): a YAML mapping from
/// step id to a reply or a list of replies. docs/cli.md, "Mock fixtures", is the user's page.
///
/// - A single reply (not a list) answers every call of its step; with `fail_attempts: N` the
///   first N attempts of each visit fail.
/// - A list gives one reply per call, in the order the calls are made (``LLMRequest/call``,
///   which comes from the history, so the position continues across crashes and resumes); its
///   last entry answers every call after the list runs out. An entry with `fail_attempts: N`
///   stands for N failing calls followed by its answer.
/// - An entry with `match: TEXT` answers only calls whose prompt (for `messages:`, the message
///   contents joined) contains TEXT, the first matching entry in list order winning; its
///   `fail_attempts` count the attempts of the visit. Calls that match no such entry take the
///   other entries by position.
///
/// A reply is a string (the text), or a mapping with any of `text`; `data` (a value whose
/// compact JSON is the text, for `schema` steps); `error` (an error type such as
/// `llm.rate_limited`), `message`, `retry_after` (a duration) and `fail_attempts`; `delay` (a
/// duration the call takes before it answers, to test slow calls and crashes); `match`;
/// `tool_calls`, a list of `{name, arguments?, id?}`: the calls the reply asks for, beside its
/// text or alone. Arguments that are a mapping (or any value but a string) are sent as their
/// compact JSON, a string as it is (so a script can send malformed arguments), none as `{}`;
/// a call without `id` gets `call_<call>_<index>` (the call number, then 0, 1, … in the list),
/// so that an agent, which numbers its turns as calls, finds the same ids on every replay.
public struct MockFixtures: Sendable {
    public struct Reply: Sendable, Hashable {
        public var text: String?
        public var error: LLMError?
        public var failAttempts: Int?
        public var delay: Duration?
        public var match: String?
        public var toolCalls: [ToolCall] = []
    }

    /// A scripted tool call; `id` nil: made from the call number and the index.
    public struct ToolCall: Sendable, Hashable {
        public var name: String
        /// The arguments' text, exactly as sent.
        public var arguments: String
        public var id: String?
    }

    /// What a call gets: a reply's text and tool calls (or nothing: the mock makes a reply up)
    /// or an error, after `delay`.
    public struct Answer: Sendable, Hashable {
        public var text: String?
        public var error: LLMError?
        public var delay: Duration?
        public var toolCalls: [LLMToolCall] = []
    }

    /// A step's script: one reply for every call, or a list.
    enum Script: Sendable {
        case every(Reply)
        case list([Reply])
    }

    private let scripts: [String: Script]

    /// Replies by step id; a one-element list is a list, as in a file.
    public init(replies: [String: [Reply]]) {
        scripts = replies.mapValues { .list($0) }
    }

    /// Reads a fixtures file; throws a message naming the problem.
    public init(path: String) throws {
        try self.init(json: try Self.json(path: path), origin: path)
    }

    /// The content of a fixtures file as JSON, checked: what a run records.
    public static func json(path: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else { throw FixtureError("cannot read \(path)") }
        let loaded = WorkflowSourceLoader.load(data: data, path: path)
        guard let root = loaded.root else {
            throw FixtureError("\(path) must be a YAML mapping from step id to replies\(loaded.diagnostics.diagnostics.first.map { ": \($0.message)" } ?? "")")
        }
        let json = root.jsonValue
        _ = try MockFixtures(json: json, origin: path)
        return json
    }

    /// Reads fixtures from their JSON form (a run records the fixtures it was started with).
    public init(json: JSONValue, origin: String = "the fixtures") throws {
        guard case .object(let steps) = json else { throw FixtureError("\(origin) must be a mapping from step id to replies") }
        var scripts: [String: Script] = [:]
        for (step, value) in steps {
            if let list = value.arrayValue {
                guard !list.isEmpty else { throw FixtureError("\(origin): the replies of \(step) are an empty list") }
                scripts[step] = .list(try list.map { try Self.reply($0, step: step, origin: origin) })
            } else {
                let reply = try Self.reply(value, step: step, origin: origin)
                scripts[step] = reply.match == nil ? .every(reply) : .list([reply])
            }
        }
        self.scripts = scripts
    }

    /// The answer to a call, nil when its step has no script (or no entry matches it and the
    /// list has no entry without `match`).
    public func answer(_ request: LLMRequest) -> Answer? {
        switch scripts[request.stepID] {
        case nil:
            return nil
        case .every(let reply):
            return reply.answer(toAttempt: request.attempt, call: request.call)
        case .list(let replies):
            if replies.contains(where: { $0.match != nil }) {
                let prompt = request.transcript
                if let matched = replies.first(where: { $0.match.map(prompt.contains) ?? false }) {
                    return matched.answer(toAttempt: request.attempt, call: request.call)
                }
            }
            return Self.positional(replies.filter { $0.match == nil }, call: request.call)
        }
    }

    /// The entry for call number `call` (from 1) of a list, each entry taking `fail_attempts`
    /// failing calls before its answer; the last answer repeats.
    private static func positional(_ replies: [Reply], call: Int) -> Answer? {
        guard let last = replies.last else { return nil }
        var position = 0
        for reply in replies {
            let failures = reply.error == nil ? 0 : (reply.failAttempts ?? 1)
            let answers = reply.error == nil || reply.failAttempts != nil ? 1 : 0
            if call <= position + failures { return reply.answer(failing: true, call: call) }
            if call <= position + failures + answers { return reply.answer(failing: false, call: call) }
            position += failures + answers
        }
        return last.answer(failing: last.error != nil && last.failAttempts == nil, call: call)
    }

    private static func reply(_ value: JSONValue, step: String, origin: String) throws -> Reply {
        if let text = value.stringValue { return Reply(text: text) }
        guard case .object(let fields) = value else { throw FixtureError("\(origin): the reply of \(step) must be a string or a mapping") }
        let known: Set<String> = ["text", "data", "error", "message", "retry_after", "fail_attempts", "delay", "match", "tool_calls"]
        if let unknown = fields.keys.first(where: { !known.contains($0) }) {
            throw FixtureError("\(origin): unknown field \"\(unknown)\" in a reply of \(step) (known: \(known.sorted().joined(separator: ", ")))")
        }
        var reply = Reply(text: fields["text"]?.stringValue ?? fields["data"].map(\.compactJSON))
        reply.match = fields["match"]?.stringValue
        if let calls = fields["tool_calls"] {
            guard let list = calls.arrayValue else { throw FixtureError("\(origin): tool_calls of \(step) must be a list") }
            reply.toolCalls = try list.map { try toolCall($0, step: step, origin: origin) }
        }
        if let delay = fields["delay"]?.stringValue {
            do { reply.delay = try Duration.parse(delay) } catch { throw FixtureError("\(origin): delay of \(step) is not a duration") }
        }
        // Without an error they would be ignored: as a misspelt field is, they are refused.
        if fields["error"] == nil, let alone = ["fail_attempts", "message", "retry_after"].first(where: { fields[$0] != nil }) {
            throw FixtureError("\(origin): \(alone) in a reply of \(step) needs an error (the type the call fails with)")
        }
        if let type = fields["error"]?.stringValue {
            let retryAfter = try fields["retry_after"]?.stringValue.map { text throws -> Duration in
                do { return try Duration.parse(text) } catch { throw FixtureError("\(origin): retry_after of \(step) is not a duration") }
            }
            reply.error = LLMError(type: type, message: fields["message"]?.stringValue ?? "scripted \(type)", retryAfter: retryAfter)
            if let count = fields["fail_attempts"] {
                guard case .int(let count) = count, count >= 0 else { throw FixtureError("\(origin): fail_attempts of \(step) must be a whole number") }
                reply.failAttempts = count
            }
        }
        return reply
    }

    private static func toolCall(_ value: JSONValue, step: String, origin: String) throws -> ToolCall {
        guard case .object(let fields) = value, let name = fields["name"]?.stringValue, !name.isEmpty else {
            throw FixtureError("\(origin): each of the tool_calls of \(step) must be a mapping with a name")
        }
        let known: Set<String> = ["name", "arguments", "id"]
        if let unknown = fields.keys.first(where: { !known.contains($0) }) {
            throw FixtureError("\(origin): unknown field \"\(unknown)\" in a tool call of \(step) (known: arguments, id, name)")
        }
        if let id = fields["id"], id.stringValue == nil { throw FixtureError("\(origin): the id of a tool call of \(step) must be a string") }
        let arguments = fields["arguments"].map { $0.stringValue ?? $0.compactJSON } ?? "{}"
        return ToolCall(name: name, arguments: arguments, id: fields["id"]?.stringValue)
    }
}

extension MockFixtures.Reply {
    /// The answer to attempt `attempt` of a visit: its error for the first `fail_attempts`
    /// attempts (every attempt without `fail_attempts`), then its text.
    func answer(toAttempt attempt: Int, call: Int) -> MockFixtures.Answer {
        answer(failing: attempt <= (failAttempts ?? (error == nil ? 0 : Int.max)), call: call)
    }

    /// The answer to call number `call`, which names the tool calls that have no id.
    func answer(failing: Bool, call: Int) -> MockFixtures.Answer {
        guard !failing else { return .init(text: nil, error: error, delay: delay) }
        let calls = toolCalls.enumerated().map { index, scripted in
            LLMToolCall(id: scripted.id ?? "call_\(call)_\(index)", name: scripted.name, arguments: scripted.arguments)
        }
        return .init(text: text, error: nil, delay: delay, toolCalls: calls)
    }
}

public struct FixtureError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
