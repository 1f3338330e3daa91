import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One output stream of a command: where its text goes, and whether a terminal shows it.
///
/// Real runs write to the process's standard output and error; tests write to memory
/// (see ``ConsoleCapture``). Writes are unbuffered: a command writes whole lines or blocks.
public struct ConsoleStream: Sendable {
    /// Whether a terminal shows the stream (decides colours and decorations).
    public let isTerminal: Bool
    private let sink: @Sendable (String) -> Void

    /// Creates a stream that hands every write to `write`.
    ///
    /// - Parameters:
    ///   - isTerminal: Whether to treat the stream as a terminal.
    ///   - write: Receives each piece of text written, in order.
    public init(isTerminal: Bool, write: @escaping @Sendable (String) -> Void) {
        self.isTerminal = isTerminal
        self.sink = write
    }

    /// Writes `text` as it is (add the newlines yourself).
    public func write(_ text: String) {
        guard !text.isEmpty else { return }
        sink(text)
    }

    /// Writes `line` and a newline.
    public func writeLine(_ line: String) {
        sink(line + "\n")
    }

    /// The process's standard output.
    public static var standardOutput: ConsoleStream { fileDescriptor(STDOUT_FILENO) }

    /// The process's standard error.
    public static var standardError: ConsoleStream { fileDescriptor(STDERR_FILENO) }

    /// A stream writing to an open file descriptor, a terminal when `isatty` says so.
    ///
    /// Write errors (a closed pipe, a full disk) are ignored: there is nowhere left to report them.
    public static func fileDescriptor(_ descriptor: Int32) -> ConsoleStream {
        ConsoleStream(isTerminal: isatty(descriptor) != 0) { text in
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
            try? handle.write(contentsOf: Data(text.utf8))
        }
    }
}
