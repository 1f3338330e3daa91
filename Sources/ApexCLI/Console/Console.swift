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
    /// When to colour, as `--color` asked (``ColorMode/auto`` when the command has no such flag).
    public var colorMode: ColorMode = .auto

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

    /// Whether text written to `stream` may be coloured. The first of these that applies decides:
    ///
    /// 1. `--color always` or `--color never` (``colorMode``);
    /// 2. `FORCE_COLOR`, when set and not empty: colours, unless it is `0` or `false`;
    /// 3. `NO_COLOR`, when set and not empty: no colours (https://no-color.org);
    /// 4. whether the stream is a terminal (and `TERM` is not `dumb`).
    ///
    /// - Parameter stream: ``output`` or ``error``.
    /// - Returns: True when colours would show and nobody asked for none.
    public func allowsColor(on stream: ConsoleStream) -> Bool {
        switch colorMode {
        case .always: return true
        case .never: return false
        case .auto: break
        }
        if let force = environment["FORCE_COLOR"], !force.isEmpty {
            return !["0", "false"].contains(force.lowercased())
        }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        guard stream.isTerminal else { return false }
        return environment["TERM"] != "dumb"
    }

    /// The terminal style for `stream`: colours when ``allowsColor(on:)`` and not `disabled`.
    public func style(for stream: ConsoleStream, disabled: Bool = false) -> TerminalStyle {
        TerminalStyle(enabled: !disabled && allowsColor(on: stream))
    }
}
