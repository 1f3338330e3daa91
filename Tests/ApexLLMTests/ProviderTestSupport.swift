import ApexDSL
import ApexEngine
import ApexFakeProvider
@testable import ApexLLM
import Foundation

/// What the provider tests against the fake server share: a server per test, providers pointed
/// at it, requests, and the error a call ends with.
enum ProviderTestSupport {
    /// A key that must never show up in an error message.
    static let apiKey = "sk-test-very-secret-0123456789"

    static func withServer(_ body: (FakeProviderServer) async throws -> Void) async throws {
        let server = try await FakeProviderServer.start()
        do {
            try await body(server)
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    static func openAI(_ server: FakeProviderServer, legacyMaxTokens: Bool = false) -> OpenAIProvider {
        OpenAIProvider(apiKey: apiKey, baseURL: server.openAIBaseURL, sendsLegacyMaxTokens: legacyMaxTokens)
    }

    static func anthropic(_ server: FakeProviderServer) -> AnthropicProvider {
        AnthropicProvider(apiKey: apiKey, baseURL: server.anthropicBaseURL)
    }

    static func request(_ prompt: String = "Route this ticket", system: String? = nil, maxTokens: Int? = nil, schema: JSONSchema? = nil) -> LLMRequest {
        var messages: [LLMRequest.Message] = []
        if let system { messages.append(.init(role: "system", content: system)) }
        messages.append(.init(role: "user", content: prompt))
        return LLMRequest(stepID: "s", stepKey: "s", visit: 1, attempt: 1, model: "test-model", messages: messages,
                          temperature: 0.3, maxTokens: maxTokens, stop: [], schema: schema)
    }

    /// The error `provider` fails `request` with, or nil when it answers.
    static func failure(_ provider: any LLMProvider, _ request: LLMRequest = request()) async -> LLMError? {
        do {
            _ = try await provider.complete(request, progress: .ignored)
            return nil
        } catch {
            return error
        }
    }

    /// An unused local port: one a server just gave back.
    static func closedPort() async throws -> Int {
        let server = try await FakeProviderServer.start()
        let port = server.port
        try await server.shutdown()
        return port
    }
}

/// The text pieces a call reports, from any thread.
final class ReportedText: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    var progress: ActivityProgress {
        ActivityProgress(runID: "r", step: "s", visit: 1, attempt: 1) { [self] report in
            if case .text(let piece) = report.kind { lock.withLock { storage.append(piece) } }
        }
    }

    var pieces: [String] { lock.withLock { storage } }
}
