import ApexDSL
import ApexEngine
import Foundation

/// The built-in offline provider (docs/language.md, "LLM providers"): scripted replies from
/// fixtures (tool calls among them), else a reply derived from the prompt, and with a `schema` the
/// smallest JSON value that satisfies it; it never calls a tool of its own accord. Deterministic:
/// the same request always gets the same reply.
///
/// Each call is appended to the file named by `APEX_MOCK_LLM_LOG` when set (one line,
/// `step-key visit attempt`), so that tests can count how often a step really called the model.
public struct MockLLMProvider: LLMProvider {
    private let fixtures: MockFixtures?
    private let callLog: String?

    public init(fixtures: MockFixtures? = nil, callLog: String? = nil) {
        self.fixtures = fixtures
        self.callLog = callLog
    }

    public func complete(_ request: LLMRequest, progress: ActivityProgress) async throws(LLMError) -> LLMReply {
        let reply = try await answer(request)
        progress.text(reply.text)
        return reply
    }

    private func answer(_ request: LLMRequest) async throws(LLMError) -> LLMReply {
        log(request)
        let inputTokens = Self.wordCount(request.transcript)
        if let reply = fixtures?.answer(request) {
            if let delay = reply.delay {
                do { try await Task.sleep(nanoseconds: UInt64(delay.milliseconds) * 1_000_000) } catch {
                    throw LLMError(type: "cancelled", message: "the call was cancelled")
                }
            }
            if let error = reply.error { throw error }
            if reply.text != nil || !reply.toolCalls.isEmpty {
                let text = reply.text ?? ""
                let outputTokens = reply.toolCalls.reduce(Self.wordCount(text)) { $0 + 1 + Self.wordCount($1.arguments) }
                return LLMReply(text: text, model: "mock", finishReason: reply.toolCalls.isEmpty ? "stop" : "tool_calls",
                                inputTokens: inputTokens, outputTokens: outputTokens, toolCalls: reply.toolCalls)
            }
        }
        let text: String
        if let schema = request.schema {
            text = schema.minimalInstance().compactJSON
        } else {
            let prompt = request.messages.last { $0.role == "user" }?.content ?? request.transcript
            text = "Mock reply to: " + String(prompt.prefix(200))
        }
        return LLMReply(text: text, model: "mock", finishReason: "stop", inputTokens: inputTokens, outputTokens: Self.wordCount(text))
    }

    /// Words separated by white space. ASCII is checked without Unicode tables: this runs twice
    /// on every mock call, and `Character.isWhitespace` made it a tenth of an llm step's time.
    static func wordCount(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            let isSpace = scalar.isASCII ? (scalar == " " || ("\t"..."\r").contains(scalar)) : scalar.properties.isWhitespace
            if !isSpace, !inWord { count += 1 }
            inWord = !isSpace
        }
        return count
    }

    private func log(_ request: LLMRequest) {
        guard let callLog else { return }
        let line = "\(request.stepKey) \(request.visit) \(request.attempt)\n"
        // O_APPEND writes of one short line are atomic, so concurrent calls never interleave.
        let descriptor = open(callLog, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else { return }
        _ = line.withCString { write(descriptor, $0, strlen($0)) }
        close(descriptor)
    }
}
