import ApexCompiler
import ApexDSL
import ApexEngine
import Foundation
import OrderedCollections

/// One attempt of an agent step: resumes from the checkpoint it was given, then alternates model
/// turns and tool calls until the model answers, a limit is reached, or a call must wait for a
/// person (the attempt then ends suspended and the next one resumes with the answer).
///
/// Durable points, each a checkpoint (``AgentState``): a model turn (with the calls it asked
/// for), each tool call's result, each approval or answer. Nothing before the latest one runs
/// again; a call in flight at a crash runs again with the same `Idempotency-Key`.
struct AgentSession {
    /// The most of a tool's result the model reads; the whole result is in the history.
    static let modelResultLimit = 16 * 1024
    /// The most of a tool's result a checkpoint records (checkpoints hold at most 2 MiB).
    static let recordedResultLimit = 512 * 1024

    let agent: PlanAgent
    let request: ActivityRequest
    /// The model request of every turn before the conversation is added: system and prompt.
    let base: LLMRequest
    let provider: any LLMProvider
    let runner: AgentToolRunner
    let servers: AgentMCPServers
    let progress: ActivityProgress
    var state: AgentState
    private var toolbox: AgentToolbox?

    init(agent: PlanAgent, request: ActivityRequest, base: LLMRequest, provider: any LLMProvider, runner: AgentToolRunner,
         servers: AgentMCPServers, progress: ActivityProgress) {
        self.agent = agent
        self.request = request
        self.base = base
        self.provider = provider
        self.runner = runner
        self.servers = servers
        self.progress = progress
        self.state = AgentState(checkpoint: request.checkpoint) ?? AgentState()
    }

    mutating func run() async -> ActivityResult {
        do {
            try await prepare()
            while true {
                if let suspension = try await finishCalls() { return suspension }
                if let answer = try await nextTurn() { return answer }
            }
        } catch let failure as AgentFailure {
            return .failed(failure.runError(request), retryAfter: nil)
        } catch let error as LLMError {
            return .failed(RunError(type: error.type, message: error.message, step: request.step, attempt: request.attempt, details: error.details),
                           retryAfter: error.retryAfter)
        } catch let error as EngineError where error.isPayloadTooLarge {
            // A checkpoint over the payload limit: the conversation outgrew what a run records.
            return .failed(RunError(type: "payload.too_large", message: "the agent's progress cannot be recorded: \(error)", step: request.step,
                                    attempt: request.attempt, details: ["retryable": false]), retryAfter: nil)
        } catch let error as ExpressionError {
            return .failed(RunError(type: "expression", message: error.message, step: request.step, attempt: request.attempt), retryAfter: nil)
        } catch {
            // A checkpoint that could not be committed: the attempt was abandoned.
            return .failed(RunError(type: "cancelled", message: "the attempt stopped: \(error)", step: request.step, attempt: request.attempt), retryAfter: nil)
        }
    }

    // MARK: Start

    /// The tools (an MCP server's listed once, at the step's first start, and recorded), and the
    /// answer the attempt was resumed with.
    private mutating func prepare() async throws {
        let listsTools = state.mcpTools == nil
        if listsTools {
            let hasServers = agent.tools.contains { if case .mcp = $0.kind { true } else { false } }
            state.mcpTools = hasServers ? try await servers.listTools() : []
        }
        let answersByTool = agent.llm.provider?.value == "anthropic" && base.schema != nil
        toolbox = try AgentToolbox(entries: agent.tools, mcpTools: state.mcpTools ?? [], reserved: answersByTool ? AgentAction.anthropicAnswerTool : nil)
        if let answer = request.answer {
            try await apply(answer)
        } else if listsTools, state.mcpTools?.isEmpty == false {
            try await save(["type": "tools", "names": .array(tools.names.map(JSONValue.string))])
        }
    }

    private var tools: AgentToolbox { toolbox! }

    /// A signal (or its time limit) for the first call waiting for it: an approval or a refusal,
    /// or a person's answer.
    private mutating func apply(_ answer: JSONValue) async throws {
        let signal = answer["signal"]?.stringValue
        guard let index = state.calls.firstIndex(where: { waitingFor($0)?.signal == signal }) else { return }
        let call = state.calls[index]
        let timedOut = answer["timed_out"] == true
        let payload = answer["payload"] ?? .null
        // `type` first, set below.
        var record: OrderedDictionary<String, JSONValue> = ["type": .null, "id": .string(call.id), "name": .string(call.name), "signal": .string(signal ?? "")]
        let limit = waitingFor(call)?.timeout.map { " within \($0)" } ?? ""
        switch call.status {
        case .awaitingApproval:
            record["type"] = "approval"
            if !timedOut, payload["approve"] == true {
                record["approve"] = true
                state.calls[index].approved = true
                state.calls[index].status = isWaitTool(call) ? .awaitingAnswer : .pending
            } else {
                let reason = timedOut ? "no approval arrived\(limit)" : (payload["reason"]?.stringValue ?? "no reason given")
                record["approve"] = false
                record["reason"] = .string(reason)
                finish(index, text: "A person refused this call, so it was not made. Reason: \(reason)", isError: true)
            }
        case .awaitingAnswer:
            record["type"] = "answer"
            if timedOut {
                record["timed_out"] = true
                finish(index, text: "No answer arrived\(limit).", isError: true)
            } else {
                record["answer"] = payload
                finish(index, text: AgentToolRunner.text(of: payload), isError: false)
            }
        case .pending, .done:
            return
        }
        try await save(.object(record))
    }

    // MARK: Tool calls

    /// Runs the latest turn's calls that may run, concurrently, each result made durable as it
    /// comes; then suspends for the first call that waits for a person, or, when every call has
    /// its result, adds the results to the conversation.
    private mutating func finishCalls() async throws -> ActivityResult? {
        while true {
            let runnable = state.calls.indices.filter { state.calls[$0].status == .pending }
            if !runnable.isEmpty {
                try await run(runnable)
                continue
            }
            if let waiting = state.calls.compactMap(waitingFor).first {
                return .suspended(signal: waiting.signal, timeout: waiting.timeout)
            }
            break
        }
        for call in state.calls {
            state.messages.append(LLMRequest.Message(role: "tool", content: call.result ?? "", toolCalls: [], toolCallID: call.id, isError: call.isError))
        }
        state.calls = []
        return nil
    }

    private mutating func run(_ indices: [Int]) async throws {
        // The calls are the latest turn's.
        let turn = state.turns
        let calls = indices.map { (index: $0, call: state.calls[$0], tool: tools.tool(named: state.calls[$0].name)) }
        let (request, runner) = (self.request, self.runner)
        try await withThrowingTaskGroup(of: (Int, AgentCallOutcome).self) { group in
            for (index, call, tool) in calls {
                guard let tool else { continue }
                group.addTask { (index, await AgentCallOutcome.perform(call, tool: tool, turn: turn, request: request, runner: runner)) }
            }
            for try await (index, outcome) in group {
                state.calls[index].attempts = outcome.attempts
                finish(index, text: outcome.text, isError: outcome.isError)
                try await save(outcome.record(for: state.calls[index], turn: turn))
            }
        }
    }

    /// The call's result for the model, cut to ``modelResultLimit`` with a note.
    private mutating func finish(_ index: Int, text: String, isError: Bool) {
        var shown = text
        if text.utf8.count > Self.modelResultLimit {
            shown = String(decoding: text.utf8.prefix(Self.modelResultLimit), as: UTF8.self)
                + "\n[… cut: the result has \(text.utf8.count) bytes; the first \(Self.modelResultLimit) are shown]"
        }
        state.calls[index].status = .done
        state.calls[index].result = shown
        state.calls[index].isError = isError
    }

    /// The signal a call waits for, with its time limit; nil for a call that does not wait.
    private func waitingFor(_ call: AgentState.Call) -> (signal: String, timeout: Duration?)? {
        guard let entry = tools.tool(named: call.name)?.entry else { return nil }
        switch call.status {
        case .awaitingApproval:
            return entry.approval.map { ($0.signal.value, $0.timeout?.value) }
        case .awaitingAnswer:
            guard case .wait(let wait) = entry.kind, let signal = wait.signal else { return nil }
            return (signal.value, wait.timeout?.value)
        case .pending, .done:
            return nil
        }
    }

    private func isWaitTool(_ call: AgentState.Call) -> Bool {
        if case .wait? = tools.tool(named: call.name)?.entry.kind { true } else { false }
    }

    // MARK: Model turns

    /// Asks the model once: its final answer ends the step; the calls it asks for become the
    /// turn's calls (checked first: an unknown tool or arguments that do not fit go back to the
    /// model as that call's error).
    private mutating func nextTurn() async throws -> ActivityResult? {
        guard state.turns < agent.maxTurns else {
            throw AgentFailure("agent.max_turns", "the model made \(state.turns) requests without a final answer (max_turns is \(agent.maxTurns))")
        }
        var call = base
        call.messages += state.messages
        call.tools = tools.specs
        call.call = state.turns + 1
        let started = ContinuousClock.now
        let reply = try await provider.complete(call, progress: progress)
        let milliseconds = Self.milliseconds(since: started)
        state.turns += 1
        state.usage = state.usage + Usage(inputTokens: reply.inputTokens, outputTokens: reply.outputTokens)
        var record: OrderedDictionary<String, JSONValue> = [
            "type": "turn", "turn": .int(state.turns), "duration_ms": .int(milliseconds), "model": .string(reply.model),
            "usage": Usage(inputTokens: reply.inputTokens, outputTokens: reply.outputTokens).json, "text": .string(reply.text),
        ]
        if reply.toolCalls.isEmpty {
            if let output = try finalOutput(reply) { return .completed(output: output, usage: state.usage) }
            record["schema_mismatch"] = true
            try await save(.object(record))
            return nil
        }
        if let budget = agent.maxTokens, state.usage.inputTokens + state.usage.outputTokens > budget {
            throw AgentFailure("agent.budget", "the agent used \(state.usage.inputTokens + state.usage.outputTokens) tokens, over its budget of \(budget)")
        }
        if let budget = agent.maxToolCalls, state.toolCalls + reply.toolCalls.count > budget {
            throw AgentFailure("agent.budget", "the model asked for \(state.toolCalls + reply.toolCalls.count) tool calls, over its budget of \(budget)")
        }
        state.toldSchemaMismatch = false
        let calls = reply.toolCalls.enumerated().map { index, call in
            LLMToolCall(id: call.id.isEmpty ? "call_\(state.turns)_\(index + 1)" : call.id, name: call.name, arguments: call.arguments)
        }
        state.messages.append(LLMRequest.Message(role: "assistant", content: reply.text, toolCalls: calls, toolCallID: nil, isError: false))
        state.toolCalls += calls.count
        state.calls = calls.map(triage)
        // A call that waits for a person names its signal, so that `apex show` says what to send.
        record["tool_calls"] = .array(state.calls.map { call in
            var entry: OrderedDictionary<String, JSONValue> = ["id": .string(call.id), "name": .string(call.name), "arguments": .string(call.arguments)]
            if let signal = waitingFor(call)?.signal { entry["signal"] = .string(signal) }
            return .object(entry)
        })
        try await save(.object(record))
        return nil
    }

    /// The step's output for a final answer; nil when it does not match the `schema` and the
    /// model is told so (once: a second mismatch in a row is `agent.invalid_answer`).
    private mutating func finalOutput(_ reply: LLMReply) throws -> JSONValue? {
        var data = JSONValue.null
        if let schema = base.schema {
            let parsed = try? JSONValue(parsing: reply.text)
            let problem = parsed.map(schema.mismatch) ?? "it is not JSON"
            if let problem {
                if state.toldSchemaMismatch || state.turns >= agent.maxTurns {
                    throw AgentFailure("agent.invalid_answer", "the final answer does not match the schema: \(problem)")
                }
                state.toldSchemaMismatch = true
                state.messages.append(LLMRequest.Message(role: "assistant", content: reply.text))
                state.messages.append(LLMRequest.Message(role: "user", content: "Your answer does not match the required JSON schema (\(problem)). Answer again with only a JSON value that matches it."))
                return nil
            }
            data = parsed ?? .null
        }
        return [
            "text": .string(reply.text), "data": data, "turns": .int(state.turns), "tool_calls": .int(state.toolCalls), "usage": state.usage.json,
        ]
    }

    /// A call as the model asked for it: unknown tools and arguments that are not an object
    /// matching the tool's `input` are answered at once, with an error, and never run.
    private func triage(_ call: LLMToolCall) -> AgentState.Call {
        var triaged = AgentState.Call(id: call.id, name: call.name, arguments: call.arguments, status: .pending)
        func refuse(_ message: String) -> AgentState.Call {
            triaged.status = .done
            triaged.result = message + " The tool was not called."
            triaged.isError = true
            return triaged
        }
        guard let tool = tools.tool(named: call.name) else {
            return refuse("There is no tool named \"\(call.name)\"; the tools are: \(tools.names.joined(separator: ", ")).")
        }
        guard let arguments = AgentCallOutcome.arguments(call.arguments) else {
            return refuse("The arguments are not a JSON object: \(call.arguments.prefix(200)).")
        }
        if let problem = AgentCallOutcome.inputSchema(of: tool)?.mismatch(arguments) {
            return refuse("The arguments do not match the tool's input schema: \(problem).")
        }
        if tool.entry.approval != nil { triaged.status = .awaitingApproval } else if case .wait = tool.entry.kind { triaged.status = .awaitingAnswer }
        return triaged
    }

    // MARK: Checkpoints

    private func save(_ record: JSONValue) async throws {
        try await progress.checkpoint(state.json(recording: record, tools: tools.names))
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}

extension EngineError {
    fileprivate var isPayloadTooLarge: Bool {
        if case .payloadTooLarge = self { true } else { false }
    }
}
