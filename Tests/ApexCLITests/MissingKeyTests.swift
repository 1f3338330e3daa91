import Foundation
import Testing

@testable import ApexCLI

/// `apex run` refuses to start a run whose models it could not call: a missing key is a clear
/// error before any call is made, and before anything is stored.
@Suite struct MissingKeyTests {
    private static let workflow = """
        apex: 1
        name: keys
        llm: {provider: openai, model: gpt-test}
        steps:
          - id: draft
            llm: {prompt: "hello"}
          - id: judge
            llm: {provider: anthropic, model: claude-test, prompt: "judge"}
        """

    private func run(_ environment: [String: String], _ flags: String...) async throws -> (status: Int32, error: String, stored: Bool) {
        let folder = try TemporaryFolder()
        let file = try folder.write("keys.yaml", Self.workflow)
        let capture = ConsoleCapture(environment: environment.merging(["APEX_HOME": folder.path]) { own, _ in own })
        let status = await ApexCommand.run(arguments: ["run", file] + flags, console: capture.console)
        return (status, capture.error, FileManager.default.fileExists(atPath: folder.path + "/apex.db"))
    }

    @Test func namesEachMissingKeyAndStartsNothing() async throws {
        let result = try await run([:])
        #expect(result.status == 2)
        #expect(result.error == """
            error: step judge uses the anthropic provider, but ANTHROPIC_API_KEY is not set (in the environment or .env); set it, or run with --mock-llm
            error: step draft uses the openai provider, but OPENAI_API_KEY is not set (in the environment or .env); set it, or run with --mock-llm

            """)
        #expect(!result.stored)
    }

    @Test func needsNoKeyForALocalOpenAICompatibleServerOrTheMock() async throws {
        let local = try await run(["OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "ANTHROPIC_API_KEY": "sk-ant-x"], "--detach")
        #expect(local.status == 0, "\(local.error)")
        let mocked = try await run([:], "--mock-llm")
        #expect(mocked.status == 0, "\(mocked.error)")
    }
}
