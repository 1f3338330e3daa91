import Foundation
import Testing

@testable import ApexCLI

/// `apex run` on a terminal shows a model's reply growing as it streams, and erases that line
/// before the step's final line; off a terminal nothing of it is printed.
@Suite struct LiveReplyTests {
    private static let workflow = """
        apex: 1
        name: live
        llm: {provider: mock, model: m}
        steps:
          - id: draft
            llm: {prompt: "tell me about cats"}
        """

    private func run(isTerminal: Bool) async throws -> ConsoleCapture {
        let folder = try TemporaryFolder()
        let file = try folder.write("live.yaml", Self.workflow)
        let capture = ConsoleCapture(environment: ["APEX_HOME": folder.path], isTerminal: isTerminal)
        let status = await ApexCommand.run(arguments: ["run", file, "--mock-llm"], console: capture.console)
        #expect(status == 0, "\(capture.error)")
        return capture
    }

    @Test func showsTheReplyGrowingThenErasesIt() async throws {
        let error = try await run(isTerminal: true).error
        let live = "\r\u{1B}[2K\u{1B}[1;36m⠙\u{1B}[0m \u{1B}[1mdraft\u{1B}[0m  Mock reply to: tell me about cats"
        let erased = "\r\u{1B}[2K\u{1B}[1;32m✓\u{1B}[0m \u{1B}[1mdraft\u{1B}[0m"
        #expect(error.contains(live + erased), "\(error.debugDescription)")
    }

    @Test func printsNothingOfItOffATerminal() async throws {
        let error = try await run(isTerminal: false).error
        #expect(!error.contains("\u{1B}"))
        #expect(!error.contains("Mock reply"))
        #expect(error.contains("✓ draft"))
    }
}
