import ApexDSL
import ApexEngine
@testable import ApexLLM
import Foundation
import Testing

@Suite struct MockProviderTests {
    private func request(prompt: String, schema: JSONSchema? = nil) -> LLMRequest {
        LLMRequest(stepID: "draft", stepKey: "draft", visit: 1, attempt: 1, model: "m", messages: [.init(role: "user", content: prompt)],
                   temperature: nil, maxTokens: nil, stop: [], schema: schema)
    }

    @Test func reportsItsReplyAsLiveProgress() async throws {
        let received = Received()
        let progress = ActivityProgress(runID: "r1", step: "draft", visit: 1, attempt: 1) { received.append($0) }
        let reply = try await MockLLMProvider().complete(request(prompt: "hello there"), progress: progress)
        #expect(reply.text == "Mock reply to: hello there")
        #expect(received.items == [LiveProgress(runID: "r1", step: "draft", visit: 1, attempt: 1, kind: .text(reply.text))])
    }

    @Test func answersTheSameRequestTheSameWay() async throws {
        let first = try await MockLLMProvider().complete(request(prompt: "a b c"), progress: .ignored)
        let second = try await MockLLMProvider().complete(request(prompt: "a b c"), progress: .ignored)
        #expect(first == second)
        #expect(first.inputTokens == 3)
    }
}

/// Collects values reported from any thread.
final class Received: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [LiveProgress] = []
    func append(_ item: LiveProgress) { lock.withLock { storage.append(item) } }
    var items: [LiveProgress] { lock.withLock { storage } }
}
