import ApexDSL
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

/// The MCP stdio transport: newline-delimited JSON-RPC messages written to one descriptor and
/// read from another. A client uses a child server's stdin and stdout (``MCPToolServer``);
/// `apex mcp` uses its own stdin and stdout, and ``waitForAnswers()`` at the end of its input.
///
/// It is the SDK's `Transport` on descriptors whose lifetime it owns, written here rather than
/// the SDK's `StdioTransport` for what that one does not do:
/// - **The end of the input ends the stream once.** The SDK's client asks for the stream
///   again in a loop; after the end it gets an idle stream, which ends only at
///   ``disconnect()``, so the client waits instead of spinning. `onEnd` tells the owner.
/// - **A descriptor is closed by the one thread that uses it**, after its last use: the
///   reader thread closes what it reads, the writer queue what it writes, so a late write can
///   never reach a descriptor number reused by someone else.
/// - **No polling, no O_NONBLOCK**: the reader blocks in `poll(2)` on a thread of its own (not
///   on the concurrency pool), waking every 200 ms only to see whether it was stopped; the
///   descriptors' flags are left alone (the SDK's transport makes a terminal non-blocking).
package actor LineTransport: Transport {
    package nonisolated let logger = Logger(label: "apex.mcp.transport", factory: { _ in SwiftLogNoOpLogHandler() })
    private let reader: PipeReader
    private let writer: PipeWriter
    private let ledger: RequestLedger?
    private let messages: AsyncThrowingStream<Data, any Error>
    private let messagesContinuation: AsyncThrowingStream<Data, any Error>.Continuation
    private let idle: AsyncThrowingStream<Data, any Error>
    private let idleContinuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var handedOut = false
    private var connected = false

    /// - Parameters:
    ///   - input: The descriptor to read messages from (closed by this transport).
    ///   - output: The descriptor to write messages to (closed by this transport).
    ///   - tracksRequests: Whether to remember the requests read until they are answered
    ///     (a server's transport, for ``waitForAnswers()``).
    ///   - onEnd: Called once when the input ends.
    package init(input: Int32, output: Int32, tracksRequests: Bool = false, onEnd: @escaping @Sendable () -> Void = {}) {
        (messages, messagesContinuation) = AsyncThrowingStream.makeStream()
        (idle, idleContinuation) = AsyncThrowingStream.makeStream()
        reader = PipeReader(descriptor: input, name: "apex.mcp.input")
        writer = PipeWriter(descriptor: output)
        let ledger = tracksRequests ? RequestLedger() : nil
        self.ledger = ledger
        let continuation = messagesContinuation
        reader.start(onLine: { line in
            ledger?.received(line)
            continuation.yield(line)
        }, onEnd: {
            continuation.finish()
            onEnd()
        })
    }

    package func connect() async throws {
        connected = true
    }

    package func disconnect() async {
        connected = false
        messagesContinuation.finish()
        idleContinuation.finish()
        writer.close()
        reader.stop()
    }

    package func send(_ data: Data) async throws {
        guard connected else { throw MCPError.connectionClosed }
        var line = data
        line.append(UInt8(ascii: "\n"))
        try await writer.write(line)
        ledger?.sent(data)
    }

    package func receive() -> AsyncThrowingStream<Data, any Error> {
        if handedOut { return idle }
        handedOut = true
        return messages
    }

    /// Waits until every request read so far has been answered (a server at the end of its
    /// input answers what it was asked before it exits). Returns at once without tracking.
    package func waitForAnswers() async {
        guard let ledger else { return }
        while !ledger.isEmpty { try? await Task.sleep(for: .milliseconds(20)) }
    }
}

/// The ids of the requests read and not answered yet.
private final class RequestLedger: @unchecked Sendable {
    private let lock = NSLock()
    private var open: Set<String> = []

    var isEmpty: Bool { lock.withLock { open.isEmpty } }

    func received(_ line: Data) {
        let ids = Self.messages(line).filter { $0["method"] != nil }.compactMap { $0["id"].map(\.compactJSON) }
        if !ids.isEmpty { lock.withLock { open.formUnion(ids) } }
    }

    func sent(_ line: Data) {
        let ids = Self.messages(line).filter { $0["method"] == nil }.compactMap { $0["id"].map(\.compactJSON) }
        if !ids.isEmpty { lock.withLock { open.subtract(ids) } }
    }

    /// The messages of a line: one object, or the objects of a batch.
    private static func messages(_ line: Data) -> [JSONValue] {
        guard let value = try? JSONValue(parsing: String(decoding: line, as: UTF8.self)) else { return [] }
        return value.arrayValue ?? [value]
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
