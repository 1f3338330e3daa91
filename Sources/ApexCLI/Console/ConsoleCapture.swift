import Foundation

/// A console that keeps everything written to it, for tests that run commands in-process.
/// Its standard input is the file handle it was given, empty by default.
///
/// ## Usage
///
/// ```swift
/// let capture = ConsoleCapture()
/// let status = await ApexCommand.run(arguments: ["schema"], console: capture.console)
/// #expect(status == 0 && capture.output.hasPrefix("{"))
/// ```
public final class ConsoleCapture: @unchecked Sendable {
    // Guarded by `lock`: commands may write from any task.
    private let lock = NSLock()
    private var outputText = ""
    private var errorText = ""
    private let environment: [String: String]
    private let isTerminal: Bool
    private let input: FileHandle

    /// Creates an empty capture.
    ///
    /// - Parameters:
    ///   - environment: The environment the command sees (empty by default, so the host's
    ///     `NO_COLOR` or `TERM` do not leak into tests).
    ///   - isTerminal: Whether both streams pretend to be a terminal.
    ///   - input: What the command reads as standard input: nothing by default, so that a
    ///     test never waits on the test runner's own standard input.
    public init(environment: [String: String] = [:], isTerminal: Bool = false, input: FileHandle = .nullDevice) {
        self.environment = environment
        self.isTerminal = isTerminal
        self.input = input
    }

    /// A console writing into this capture.
    public var console: Console {
        Console(
            output: ConsoleStream(isTerminal: isTerminal) { [self] in append($0, toError: false) },
            error: ConsoleStream(isTerminal: isTerminal) { [self] in append($0, toError: true) },
            environment: environment, input: input)
    }

    /// Everything written to the output stream so far.
    public var output: String { locked { outputText } }

    /// Everything written to the error stream so far.
    public var error: String { locked { errorText } }

    private func append(_ text: String, toError: Bool) {
        locked {
            if toError { errorText += text } else { outputText += text }
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
