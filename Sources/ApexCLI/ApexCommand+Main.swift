import ApexEngine
import ArgumentParser
import Foundation
import Logging

extension ApexCommand {
    /// The entry point of the `apex` executable: runs the command line and exits with its status.
    ///
    /// It replaces ArgumentParser's `main()` so that usage errors exit 2 (docs/cli.md,
    /// "Exit status"), rather than ArgumentParser's 64.
    public static func main() async {
        if ["worker", "serve"].contains(CommandLine.arguments.dropFirst().first) { _ = StopFlag.installed() }
        LoggingSystem.bootstrap { label in
            ApexLogHandler(label: label, level: Settings.logLevel(ProcessInfo.processInfo.environment))
        }
        let status = await run(arguments: Array(CommandLine.arguments.dropFirst()), console: .standard)
        // ArgumentParser's exit prints nothing for an ExitCode and flushes nothing we own.
        Self.exit(withError: status == 0 ? nil : ExitCode(status))
    }

    /// Parses `arguments`, runs the command they name and returns the exit status.
    ///
    /// Help and `--version` print to the output stream and return 0. Usage errors (an unknown
    /// flag, a missing argument, a bad value) print the error and usage to the error stream
    /// and return 2 (``ExitCode/badInput``). A thrown `ExitCode` is returned as is; any other
    /// error prints its message and returns ArgumentParser's status for it (1).
    ///
    /// ## Usage
    ///
    /// ```swift
    /// let capture = ConsoleCapture()
    /// let status = await ApexCommand.run(arguments: ["validate", "flow.yaml"], console: capture.console)
    /// ```
    ///
    /// - Parameters:
    ///   - arguments: The command line without the program name.
    ///   - console: Where the command writes, and the environment it reads.
    /// - Returns: The process exit status.
    public static func run(arguments: [String], console: Console) async -> Int32 {
        do {
            // `apex --server URL show RUN` is `apex show --server URL RUN` (docs/cli.md, "Using a server").
            var command = try await asyncParseAsRoot(try ServerOptions.hoisted(arguments).get())
            if let consoleCommand = command as? any ConsoleCommand {
                var console = console
                if let choosing = command as? any ColorChoosing { console.colorMode = choosing.colorOption.mode }
                return try await consoleCommand.run(console: console).rawValue
            } else if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return ExitCode.success.rawValue
        } catch {
            return status(for: error, console: console)
        }
    }

    /// Prints what `error` has to say where it belongs and returns the status to exit with.
    static func status(for error: any Error, console: Console) -> Int32 {
        if let problem = storeProblem(error) {
            // One line, exit 2: the store named by the settings cannot be used as it is.
            console.error.writeLine("error: \(problem)")
            return ExitCode.badInput.rawValue
        }
        if let error = error as? APIError {
            // One line, exit 2, as for a store: the server cannot be used as it is (unreachable,
            // the token refused, an answer the command does not expect).
            console.error.writeLine("error: \(error)")
            return ExitCode.badInput.rawValue
        }
        let message = fullMessage(for: error)
        let code = exitCode(for: error)
        if code == .success {
            if !message.isEmpty { console.output.writeLine(message) }
            return ExitCode.success.rawValue
        }
        if !message.isEmpty { console.error.writeLine(message) }
        if let thrown = error as? ExitCode { return thrown.rawValue }
        return code == .validationFailure ? ExitCode.badInput.rawValue : code.rawValue
    }

    /// What is wrong with the configured store, for errors that say it cannot be used (a bad
    /// URL or namespace, a database that is unreachable, refuses us, is newer or unmigrated).
    private static func storeProblem(_ error: any Error) -> String? {
        switch error {
        case let error as SettingsError: error.description
        case let error as StoreError:
            switch error {
            case .unusable, .unavailable, .newerSchema: error.description
            case .conflict, .leaseLost, .unknownRun, .runFinished: nil
            }
        default: nil
        }
    }
}
