import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An `apex` process whose standard output and error are a pseudo-terminal (`openpty`), so
/// that it draws as on a terminal; everything it writes is collected from the master side.
final class PseudoTerminalApex: @unchecked Sendable {
    let process = Process()
    private let master: Int32
    // Guarded by `lock`: the reader thread appends, tests read.
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private var readerDone = false

    init(_ arguments: [String], in directory: String, environment: [String: String]) throws {
        guard let url = ApexBinary.url else { throw ApexBinary.MissingBinary() }
        var master: Int32 = -1
        var slave: Int32 = -1
        guard openpty(&master, &slave, nil, nil, nil) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        // Not inherited by processes other suites start meanwhile (the child gets the slave by dup2).
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        _ = fcntl(slave, F_SETFD, FD_CLOEXEC)
        self.master = master
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment.merging(["PATH": "/usr/bin:/bin", "TERM": "xterm"]) { own, _ in own }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = terminal
        process.standardError = terminal
        do { try process.run() } catch {
            close(slave)
            close(master)
            throw error
        }
        close(slave)
        Thread.detachNewThread { [self] in read() }
    }

    /// Reads the master side until the child has closed the terminal (EIO) or exited.
    private func read() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 100)
            if ready > 0 {
                let count = Glibc.read(master, &buffer, buffer.count)
                if count <= 0 { break }
                lock.withLock { bytes += buffer[0..<count] }
            } else if !process.isRunning {
                break
            }
        }
        lock.withLock { readerDone = true }
    }

    /// Everything written so far, as text (the terminal turns `\n` into `\r\n`; `\r` is dropped).
    var text: String {
        lock.withLock { String(decoding: bytes, as: UTF8.self) }.replacingOccurrences(of: "\r", with: "")
    }

    func interrupt() {
        kill(process.processIdentifier, SIGINT)
    }

    /// Waits (suspending) for the process to exit and the terminal to be read to its end.
    func wait(within seconds: Double = 30) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning || !lock.withLock({ readerDone }) {
            if Date() > deadline {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                throw TimedOut()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        close(master)
    }

    struct TimedOut: Error {}
}
