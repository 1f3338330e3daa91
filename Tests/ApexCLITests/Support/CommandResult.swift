import ApexCLI

/// What running `apex` gave: its exit status and everything it wrote.
struct CommandResult: Sendable {
    var status: Int32
    var output: String
    var error: String

    /// Runs `apex` in-process with `arguments`, capturing its output.
    ///
    /// - Parameters:
    ///   - arguments: The command line without the program name.
    ///   - environment: The environment the command sees (empty by default).
    ///   - isTerminal: Whether the captured streams pretend to be a terminal.
    static func apex(
        _ arguments: String..., environment: [String: String] = [:], isTerminal: Bool = false
    ) async -> CommandResult {
        let capture = ConsoleCapture(environment: environment, isTerminal: isTerminal)
        let status = await ApexCommand.run(arguments: arguments, console: capture.console)
        return CommandResult(status: status, output: capture.output, error: capture.error)
    }
}
