import ApexDSL
import ApexEngine
import Foundation

/// How one tool call ended, after its attempts: the text the model reads and what the history
/// records of it.
struct AgentCallOutcome: Sendable {
    var text: String
    var isError: Bool
    var attempts: Int
    var milliseconds: Int

    /// Makes `call`'s attempts under its tool's retry policy and per-attempt `timeout`, with
    /// `Idempotency-Key: <run>/<step key>/<visit>/<turn>/<call id>` on every one of them. A
    /// failure the policy does not retry goes back to the model as the call's error.
    static func perform(_ call: AgentState.Call, tool: AgentToolbox.Tool, turn: Int, request: ActivityRequest,
                        runner: AgentToolRunner) async -> AgentCallOutcome {
        let started = ContinuousClock.now
        let arguments = Self.arguments(call.arguments) ?? [:]
        var attemptRequest = request
        attemptRequest.idempotencyKey = "\(request.idempotencyKey)/\(turn)/\(call.id)"
        attemptRequest.context.roots["args"] = arguments
        let policy = tool.entry.retry ?? RetryPolicy()
        var attempt = call.attempts
        while true {
            attempt += 1
            attemptRequest.attempt = attempt
            let thisAttempt = attemptRequest
            let outcome = await Self.bounded(by: tool.entry.timeout?.value) { await runner.attempt(tool, arguments: arguments, request: thisAttempt) }
            let milliseconds = AgentSession.milliseconds(since: started)
            switch outcome {
            case .result(let text, let isError):
                return AgentCallOutcome(text: text, isError: isError, attempts: attempt, milliseconds: milliseconds)
            case .failed(let error, let retryAfter):
                guard !Task.isCancelled, policy.allowsRetry(afterAttempt: attempt, errorType: error.type, details: error.details) else {
                    let message = "The tool failed (\(attempt) attempt\(attempt == 1 ? "" : "s")): \(error.type): \(error.message)"
                    return AgentCallOutcome(text: message, isError: true, attempts: attempt, milliseconds: milliseconds)
                }
                let delay = policy.delay(afterAttempt: attempt, seed: "\(attemptRequest.idempotencyKey)#\(attempt)",
                                         retryAfter: policy.honoured(retryAfter: retryAfter, stepTimeout: tool.entry.timeout?.value))
                try? await Task.sleep(for: .milliseconds(delay.milliseconds))
            }
        }
    }

    /// What the history records of the call: everything, its result up to
    /// ``AgentSession/recordedResultLimit``.
    func record(for call: AgentState.Call, turn: Int) -> JSONValue {
        let recorded = text.utf8.count > AgentSession.recordedResultLimit
            ? String(decoding: text.utf8.prefix(AgentSession.recordedResultLimit), as: UTF8.self) : text
        return [
            "type": "tool_call", "turn": .int(turn), "id": .string(call.id), "name": .string(call.name), "arguments": .string(call.arguments),
            "attempts": .int(attempts), "duration_ms": .int(milliseconds), "is_error": .bool(isError), "result": .string(recorded),
            "result_bytes": .int(text.utf8.count),
        ]
    }

    /// A model's arguments as an object: empty text is no arguments; nil when they are not a
    /// JSON object.
    static func arguments(_ text: String) -> JSONValue? {
        if text.allSatisfy(\.isWhitespace) { return [:] }
        guard let value = try? JSONValue(parsing: text), case .object = value else { return nil }
        return value
    }

    /// The schema the arguments are checked against: the tool's `input`, a `wait` tool's
    /// question, an MCP tool's advertised schema (when Apex can read it).
    static func inputSchema(of tool: AgentToolbox.Tool) -> JSONSchema? {
        if let input = tool.entry.input { return input }
        if let mcp = tool.mcp { return try? JSONSchema.parse(json: mcp.inputSchema) }
        if case .wait = tool.entry.kind { return try? JSONSchema.parse(json: AgentTool.questionInput) }
        return nil
    }

    /// `body`, failing with `timeout` when it takes longer than `limit`.
    private static func bounded(by limit: Duration?, _ body: @escaping @Sendable () async -> AgentToolRunner.Outcome) async -> AgentToolRunner.Outcome {
        guard let limit else { return await body() }
        return await withTaskGroup(of: AgentToolRunner.Outcome?.self) { group in
            group.addTask { await body() }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(limit.milliseconds))
                return Task.isCancelled ? nil : .failed(RunError(type: "timeout", message: "the call took longer than its timeout of \(limit)"), retryAfter: nil)
            }
            var first: AgentToolRunner.Outcome?
            while first == nil, let next = await group.next() { first = next }
            group.cancelAll()
            return first ?? .failed(RunError(type: "cancelled", message: "the call was cancelled"), retryAfter: nil)
        }
    }
}
