import ArgumentParser

/// A command that writes through a ``Console`` and returns its exit status, so that the same
/// code runs in the executable and, with captured output, in tests.
///
/// ``ApexCommand/run(arguments:console:)`` calls ``run(console:)`` with the console it was
/// given; ArgumentParser's own entry points reach it through `run()` with ``Console/standard``.
protocol ConsoleCommand: AsyncParsableCommand {
    /// Runs the command.
    ///
    /// - Parameter console: Where to write, and the environment to read.
    /// - Returns: The exit status (``ExitCode/success``, ``ExitCode/problemsFound``, …).
    /// - Throws: Only for failures the command cannot report itself; they exit 1 with the message.
    func run(console: Console) async throws -> ExitCode
}

extension ConsoleCommand {
    /// Runs the command on the process's console, throwing its status when it is not success.
    func run() async throws {
        var console = Console.standard
        if let choosing = self as? any ColorChoosing { console.colorMode = choosing.colorOption.mode }
        let status = try await run(console: console)
        if status != .success { throw status }
    }
}
