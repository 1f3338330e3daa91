import ApexDSL
import Foundation

/// What a command talks to: its input, its output streams and its environment.
///
/// Commands never print or read standard input directly; they use a `Console` passed in, so
/// that tests run them in-process with captured output and input of their own
/// (``ConsoleCapture``) and the executable uses ``standard``.
///
/// ## Usage
///
/// ```swift
/// let status = await ApexCommand.run(arguments: ["validate", "flow.yaml"], console: .standard)
/// ```
public struct Console: Sendable {
    /// Where results go (diagnostics, JSON, the schema).
    public var output: ConsoleStream
    /// Where errors, progress and summaries go.
    public var error: ConsoleStream
    /// The environment variables the command sees.
    public var environment: [String: String]
    /// What the command reads as standard input (`apex validate -`).
    public var input: FileHandle

    /// Creates a console.
    ///
    /// - Parameters:
    ///   - output: The stream for results.
    ///   - error: The stream for errors and summaries.
    ///   - environment: The environment variables the command sees.
    ///   - input: What the command reads as standard input; the process's by default.
    public init(output: ConsoleStream, error: ConsoleStream, environment: [String: String],
                input: FileHandle = .standardInput) {
        self.output = output
        self.error = error
        self.environment = environment
        self.input = input
    }

    /// The process's standard input, standard output, standard error and environment.
    public static var standard: Console {
        Console(output: .standardOutput, error: .standardError, environment: ProcessInfo.processInfo.environment)
    }

    /// Whether text written to `stream` may be coloured: only for a terminal, and only when
    /// `NO_COLOR` is unset or empty (https://no-color.org) and `TERM` is not `dumb`.
    ///
    /// - Parameter stream: ``output`` or ``error``.
    /// - Returns: True when colours would show and nobody asked for none.
    public func allowsColor(on stream: ConsoleStream) -> Bool {
        guard stream.isTerminal else { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }

    /// The terminal style for `stream`: colours when ``allowsColor(on:)`` and not `disabled`.
    public func style(for stream: ConsoleStream, disabled: Bool = false) -> TerminalStyle {
        TerminalStyle(enabled: !disabled && allowsColor(on: stream))
    }
}
