import ApexCLI
import Foundation

/// What running `apex` gave: its exit status and everything it wrote.
struct CommandResult: Sendable {
    var status: Int32
    var output: String
    var error: String

    /// Runs `apex` in-process with `arguments`, capturing its output. Standard input is empty.
    ///
    /// - Parameters:
    ///   - arguments: The command line without the program name.
    ///   - environment: The environment the command sees (empty by default).
    ///   - isTerminal: Whether the captured streams pretend to be a terminal.
    static func apex(
        _ arguments: String..., environment: [String: String] = [:], isTerminal: Bool = false
    ) async -> CommandResult {
        await run(arguments, ConsoleCapture(environment: environment, isTerminal: isTerminal))
    }

    /// Runs `apex` in-process with `arguments` and `standardInput` as its standard input, as
    /// `apex ARGUMENTS < file` would (the text is written to a temporary file first).
    ///
    /// - Parameters:
    ///   - arguments: The command line without the program name.
    ///   - standardInput: What the command reads from standard input.
    static func apex(_ arguments: String..., standardInput: String) async throws -> CommandResult {
        let folder = try TemporaryFolder()
        let file = try folder.write("stdin", standardInput)
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
        return await run(arguments, ConsoleCapture(input: input))
    }

    static func run(_ arguments: [String], _ capture: ConsoleCapture) async -> CommandResult {
        let status = await ApexCommand.run(arguments: arguments, console: capture.console)
        return CommandResult(status: status, output: capture.output, error: capture.error)
    }
}
