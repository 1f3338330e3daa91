import ApexDSL
import ApexEngine
import ApexLLM
import Foundation
import OrderedCollections

/// Keeps the replies real providers give a case's llm and agent steps (`apex test --record`), in
/// the fixtures format, so that the case replays that conversation offline afterwards: per
/// step id, one entry per call in call order (a failed call as its `error`).
final class ReplyRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var replies: [String: [Int: JSONValue]] = [:]

    /// `provider`, with its replies recorded here.
    func recording(_ provider: any LLMProvider) -> any LLMProvider { RecordingProvider(base: provider, recorder: self) }

    /// The recorded replies as an `llm:` mapping (nil when no call was made).
    var fixtures: JSONValue? {
        lock.withLock {
            guard !replies.isEmpty else { return nil }
            var steps: OrderedDictionary<String, JSONValue> = [:]
            for step in replies.keys.sorted() { steps[step] = .array(replies[step]!.sorted { $0.key < $1.key }.map(\.value)) }
            return .object(steps)
        }
    }

    fileprivate func keep(_ request: LLMRequest, _ reply: JSONValue) {
        lock.withLock { replies[request.stepID, default: [:]][request.call] = reply }
    }

    /// One reply as a fixture entry: its text alone when that is all, else `{text, tool_calls}`.
    static func entry(_ reply: LLMReply) -> JSONValue {
        guard !reply.toolCalls.isEmpty else { return .string(reply.text) }
        var fields: OrderedDictionary<String, JSONValue> = [:]
        if !reply.text.isEmpty { fields["text"] = .string(reply.text) }
        fields["tool_calls"] = .array(reply.toolCalls.map { call in
            let arguments = (try? JSONValue(parsing: call.arguments)) ?? .string(call.arguments)
            return ["name": .string(call.name), "arguments": arguments, "id": .string(call.id)]
        })
        return .object(fields)
    }
}

private struct RecordingProvider: LLMProvider {
    let base: any LLMProvider
    let recorder: ReplyRecorder

    func complete(_ request: LLMRequest, progress: ActivityProgress) async throws(LLMError) -> LLMReply {
        do {
            let reply = try await base.complete(request, progress: progress)
            recorder.keep(request, ReplyRecorder.entry(reply))
            return reply
        } catch {
            recorder.keep(request, ["error": .string(error.type), "message": .string(error.message)])
            throw error
        }
    }
}
