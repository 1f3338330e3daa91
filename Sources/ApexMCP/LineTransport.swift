import Foundation
import Logging
import MCP

#if canImport(Glibc)
    import Glibc
    private let systemRead = Glibc.read
    private let systemWrite = Glibc.write
    private let systemClose = Glibc.close
#elseif canImport(Darwin)
    import Darwin
    private let systemRead = Darwin.read
    private let systemWrite = Darwin.write
    private let systemClose = Darwin.close
#endif

/// The MCP stdio transport on a child's pipes: newline-delimited JSON-RPC messages written to
/// its standard input and read from its standard output.
///
/// It is the SDK's `StdioTransport` protocol on descriptors whose lifetime this type owns,
/// written here for three things that transport does not do for a child process:
/// - **The end of the child's output ends the stream once.** The SDK's client asks for the
///   stream again in a loop; after the end it gets ``idle``, which ends only at
///   ``disconnect()``, so the client waits instead of spinning. ``onEnd`` tells the server.
/// - **A descriptor is closed by the one thread that uses it**, after its last use: the
///   reader thread closes the output it reads, the writer queue the input it writes, so a late
///   write can never reach a descriptor number reused by someone else.
/// - **No polling**: the reader blocks in `poll(2)` on a thread of its own (not on the
///   concurrency pool), and wakes every 200 ms only to see whether it was stopped.
actor ChildPipeTransport: Transport {
    nonisolated let logger = Logger(label: "apex.mcp.transport", factory: { _ in SwiftLogNoOpLogHandler() })
    private let reader: PipeReader
    private let writer: PipeWriter
    private let messages: AsyncThrowingStream<Data, any Error>
    private let messagesContinuation: AsyncThrowingStream<Data, any Error>.Continuation
    private let idle: AsyncThrowingStream<Data, any Error>
    private let idleContinuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var handedOut = false
    private var connected = false

    /// - Parameters:
    ///   - output: The read end of the child's standard output (closed by this transport).
    ///   - input: The write end of the child's standard input (closed by this transport).
    ///   - onEnd: Called once when the child's output ends (it exited or closed it).
    init(output: Int32, input: Int32, onEnd: @escaping @Sendable () -> Void) {
        (messages, messagesContinuation) = AsyncThrowingStream.makeStream()
        (idle, idleContinuation) = AsyncThrowingStream.makeStream()
        reader = PipeReader(descriptor: output, name: "apex.mcp.stdout")
        writer = PipeWriter(descriptor: input)
        let continuation = messagesContinuation
        reader.start(onLine: { continuation.yield($0) }, onEnd: {
            continuation.finish()
            onEnd()
        })
    }

    func connect() async throws {
        connected = true
    }

    func disconnect() async {
        connected = false
        messagesContinuation.finish()
        idleContinuation.finish()
        writer.close()
        reader.stop()
    }

    func send(_ data: Data) async throws {
        guard connected else { throw MCPError.connectionClosed }
        var line = data
        line.append(UInt8(ascii: "\n"))
        try await writer.write(line)
    }

    func receive() -> AsyncThrowingStream<Data, any Error> {
        if handedOut { return idle }
        handedOut = true
        return messages
    }
}

/// Reads lines from a pipe on a thread of its own until the end of the pipe or ``stop()``,
/// then closes it. Lines longer than ``maxLine`` bytes end the reading (a server gone wrong
/// must not fill our memory).
final class PipeReader: @unchecked Sendable {
    static let maxLine = 64 << 20

    private let descriptor: Int32
    private let name: String
    // Guarded by `lock`.
    private let lock = NSLock()
    private var stopped = false
    private var ended = false

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    /// Starts the thread. `onLine` gets each line without its newline (a last line without
    /// one too); `onEnd` is called once, after the last line.
    func start(onLine: @escaping @Sendable (Data) -> Void, onEnd: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            read(onLine: onLine)
            _ = systemClose(descriptor)
            lock.withLock { ended = true }
            onEnd()
        }
        thread.name = name
        thread.start()
    }

    /// Asks the thread to stop; it does within 200 ms, and closes the pipe.
    func stop() {
        lock.withLock { stopped = true }
    }

    /// Whether the thread has finished (and called `onEnd`).
    var hasEnded: Bool { lock.withLock { ended } }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func read(onLine: (Data) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var pending: [UInt8] = []
        while !isStopped {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 200)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 { continue }
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                break
            }
            if count == 0 { break }
            var start = pending.count
            pending.append(contentsOf: buffer[0..<count])
            var lineStart = 0
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > lineStart && pending[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                if end > lineStart { onLine(Data(pending[lineStart..<end])) }
                lineStart = newline + 1
                start = lineStart
            }
            pending.removeFirst(lineStart)
            if pending.count > Self.maxLine { return }
        }
        if !pending.isEmpty && !isStopped { onLine(Data(pending)) }
    }
}

/// Writes to a pipe on a serial queue (a write blocks while the pipe is full), and closes it
/// on the same queue after the writes before.
final class PipeWriter: @unchecked Sendable {
    private let descriptor: Int32
    private let queue = DispatchQueue(label: "apex.mcp.stdin")
    // Confined to `queue`.
    private var closed = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
        PipeWriter.ignoreSIGPIPE
    }

    /// A write to a pipe whose reader has exited fails with EPIPE instead of killing this
    /// process with SIGPIPE: ignored once, for the whole process (as SwiftNIO does).
    private static let ignoreSIGPIPE: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    func write(_ data: Data) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            queue.async { [self] in
                guard !closed else { return done.resume(throwing: MCPError.connectionClosed) }
                let failure: Int32? = data.withUnsafeBytes { bytes in
                    var offset = 0
                    while offset < bytes.count {
                        let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                        if written < 0 {
                            if errno == EINTR { continue }
                            return errno
                        }
                        offset += written
                    }
                    return nil
                }
                if let failure {
                    done.resume(throwing: MCPError.transportError(POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO)))
                } else {
                    done.resume()
                }
            }
        }
    }

    /// Closes the pipe after the writes queued before (the child reads the end of its input).
    func close() {
        queue.async { [self] in
            guard !closed else { return }
            closed = true
            _ = systemClose(descriptor)
        }
    }
}
