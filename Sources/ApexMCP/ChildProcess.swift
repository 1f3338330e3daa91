import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a child process ended.
enum Termination: Sendable, Hashable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .signalled(let signal): "was killed by signal \(signal)\(signal == SIGKILL ? " (SIGKILL)" : signal == SIGTERM ? " (SIGTERM)" : "")"
        }
    }
}

/// An MCP server's process: started with pipes for its standard input, output and error, in a
/// process group of its own (Foundation's `Process` does that on Linux), so that stopping it
/// stops whatever it started too.
///
/// Its stderr is read on a thread of its own: each line goes to `stderrLine`, and the last
/// lines are kept for error messages. Foundation reaps the process and tells ``onExit``.
final class ChildProcess: @unchecked Sendable {
    /// The variables a server inherits from this process when it is started; the rest of our
    /// environment (API keys among it) stays here unless given explicitly. The same list as the
    /// MCP SDKs' default environment for stdio servers, and the locale and temporary folder.
    static let inheritedVariables = ["HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ"]

    let pid: Int32
    /// The command as a person would type it, for messages.
    let commandLine: String
    /// The read end of the child's standard output.
    let output: Int32
    /// The write end of the child's standard input.
    let input: Int32

    private let process: Process
    private let stderrReader: PipeReader
    private let tail: StderrTail
    /// Whether the child leads its own process group (signals go to the group).
    private let leadsGroup: Bool
    // Guarded by `lock`.
    private let lock = NSLock()
    private var ended: Termination?
    private var exitHandler: (@Sendable () -> Void)?

    private init(process: Process, commandLine: String, output: Int32, input: Int32, stderrReader: PipeReader, tail: StderrTail) {
        self.process = process
        self.pid = process.processIdentifier
        self.commandLine = commandLine
        self.output = output
        self.input = input
        self.stderrReader = stderrReader
        self.tail = tail
        self.leadsGroup = getpgid(process.processIdentifier) == process.processIdentifier
    }

    /// Starts `command` with the inherited variables and `environment`, in `directory`.
    static func launch(command: [String], environment: [String: String]?, directory: String?,
                       stderrLine: (@Sendable (String) -> Void)?) async throws(MCPToolError) -> ChildProcess {
        let commandLine = Self.commandLine(command)
        func failure(_ reason: String) -> MCPToolError {
            MCPToolError(.launchFailed, "cannot start MCP server `\(commandLine)`: \(reason)")
        }
        guard let program = command.first, !program.isEmpty else { throw MCPToolError(.launchFailed, "cannot start an MCP server: the command is empty") }
        let current = ProcessInfo.processInfo.environment
        var variables = current.filter { inheritedVariables.contains($0.key) }
        variables.merge(environment ?? [:]) { _, given in given }
        var isFolder: ObjCBool = false
        if let directory, !(FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) && isFolder.boolValue) {
            throw failure("its working folder \(directory) does not exist")
        }
        let executable: String
        switch resolve(program, path: variables["PATH"] ?? "/usr/bin:/bin", directory: directory) {
        case .success(let found): executable = found
        case .failure(let reason): throw failure(reason.message)
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(command.dropFirst())
        process.environment = variables
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let toChild = Pipe()
        let fromChild = Pipe()
        let errors = Pipe()
        process.standardInput = toChild
        process.standardOutput = fromChild
        process.standardError = errors

        let tail = StderrTail()
        let exit = ExitBox()
        process.terminationHandler = { process in
            exit.finish(process.terminationReason == .uncaughtSignal ? .signalled(process.terminationStatus) : .exited(process.terminationStatus))
        }
        if let error = await run(process) {
            throw failure("\(error.localizedDescription)")
        }
        // Our copies of the child's ends are closed by Foundation; these are ours to own (the
        // transport and the stderr reader close them), so the handles must not close them too.
        let output = dup(fromChild.fileHandleForReading.fileDescriptor)
        let input = dup(toChild.fileHandleForWriting.fileDescriptor)
        let errorOutput = dup(errors.fileHandleForReading.fileDescriptor)
        try? fromChild.fileHandleForReading.close()
        try? toChild.fileHandleForWriting.close()
        try? errors.fileHandleForReading.close()
        for descriptor in [output, input, errorOutput] { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }

        let reader = PipeReader(descriptor: errorOutput, name: "apex.mcp.stderr")
        let child = ChildProcess(process: process, commandLine: commandLine, output: output, input: input, stderrReader: reader, tail: tail)
        if child.leadsGroup { LiveGroups.shared.insert(child.pid) }
        exit.attach(child)
        reader.start(onLine: { line in
            let text = String(decoding: line, as: UTF8.self)
            tail.append(text)
            stderrLine?(text)
        }, onEnd: {})
        return child
    }

    /// Starts `process` from a thread of its own that blocks no signal. A child inherits the
    /// signal mask of the thread that starts it, and the threads of Swift's concurrency pool
    /// block nearly every signal: started from one, a server (and what it starts) would never
    /// see SIGTERM. (Ignored signals are inherited too: SIGPIPE, which Apex ignores, stays
    /// ignored in the server, so a write to a closed pipe fails with EPIPE there.)
    private static func run(_ process: Process) async -> (any Error)? {
        await withCheckedContinuation { (done: CheckedContinuation<(any Error)?, Never>) in
            let thread = Thread {
                var none = sigset_t()
                sigemptyset(&none)
                pthread_sigmask(SIG_SETMASK, &none, nil)
                do {
                    try process.run()
                    done.resume(returning: nil)
                } catch {
                    done.resume(returning: error)
                }
            }
            thread.name = "apex.mcp.spawn"
            thread.start()
        }
    }

    /// Called once when the process has exited and been reaped (at once if it already has).
    func onExit(_ handler: @escaping @Sendable () -> Void) {
        let now: Bool = lock.withLock {
            if ended != nil { return true }
            exitHandler = handler
            return false
        }
        if now { handler() }
    }

    /// How the process ended, or nil while it runs.
    var termination: Termination? { lock.withLock { ended } }

    fileprivate func finish(_ termination: Termination) {
        let handler: (@Sendable () -> Void)? = lock.withLock {
            guard ended == nil else { return nil }
            ended = termination
            defer { exitHandler = nil }
            return exitHandler
        }
        if leadsGroup { LiveGroups.shared.remove(pid) }
        handler?()
    }

    /// Waits up to `limit` for the process to exit; nil if it still runs.
    func waitForExit(within limit: Swift.Duration) async -> Termination? {
        let deadline = ContinuousClock.now + limit
        while true {
            if let ended = termination { return ended }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Sends `signal` to the process's group (its own children too), or to it alone when it
    /// does not lead a group. After the process is reaped its id could name another process,
    /// so a group is signalled only while it may still have members: see ``stop()``.
    func signal(_ signal: Int32) {
        _ = kill(leadsGroup ? -pid : pid, signal)
    }

    /// Stops the process: it has `grace` to exit by itself (its input was closed), then gets
    /// SIGTERM, then SIGKILL two seconds later; returns once it has been reaped. Members of
    /// its group left behind (a server's own children) get SIGTERM then too.
    func stop(grace: Swift.Duration) async {
        if await waitForExit(within: grace) == nil {
            signal(SIGTERM)
            if await waitForExit(within: .seconds(2)) == nil {
                signal(SIGKILL)
                _ = await waitForExit(within: .seconds(5))
            }
        }
        // The group outlives its leader while members remain, and its id is not reused while
        // it exists: a signal now reaches only what the server left behind (or nothing).
        if leadsGroup { _ = kill(-pid, SIGTERM) }
        stderrReader.stop()
    }

    /// The last lines the process wrote to stderr, waiting up to `limit` for the rest (a
    /// process that has just exited may have output still in the pipe).
    func stderrTail(waiting limit: Swift.Duration = .milliseconds(300)) async -> [String] {
        let deadline = ContinuousClock.now + limit
        while !stderrReader.hasEnded, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return tail.lines
    }

    /// `python3 'my server.py'`: the words as given, quoted when they need it.
    static func commandLine(_ command: [String]) -> String {
        command.map { word in
            let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_./=:@%+,".unicodeScalars.contains($0) }
            return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }

    private struct NotFound: Error { var message: String }

    /// The executable `program` names: a path (relative to `directory`, as a shell in that
    /// folder would take it), or a name looked up on `path`.
    private static func resolve(_ program: String, path: String, directory: String?) -> Result<String, NotFound> {
        let manager = FileManager.default
        if program.contains("/") {
            var full = program
            if !program.hasPrefix("/") {
                full = ((directory ?? manager.currentDirectoryPath) as NSString).appendingPathComponent(program)
            }
            guard manager.isExecutableFile(atPath: full) else {
                return .failure(NotFound(message: manager.fileExists(atPath: full) ? "\(full) is not executable" : "\(full) does not exist"))
            }
            return .success(full)
        }
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = (String(folder) as NSString).appendingPathComponent(program)
            var isFolder: ObjCBool = false
            if manager.isExecutableFile(atPath: candidate), manager.fileExists(atPath: candidate, isDirectory: &isFolder), !isFolder.boolValue {
                return .success(candidate)
            }
        }
        return .failure(NotFound(message: "no command \(program) on PATH (\(path))"))
    }
}

/// Holds a termination that may come before the ``ChildProcess`` exists (a process that
/// exits at once), and hands it over when it does.
private final class ExitBox: @unchecked Sendable {
    private let lock = NSLock()
    private var child: ChildProcess?
    private var early: Termination?

    func attach(_ child: ChildProcess) {
        let ended: Termination? = lock.withLock {
            self.child = child
            return early
        }
        if let ended { child.finish(ended) }
    }

    func finish(_ termination: Termination) {
        let child: ChildProcess? = lock.withLock {
            if self.child == nil { early = termination }
            return self.child
        }
        child?.finish(termination)
    }
}

/// The last lines of a server's stderr (at most 20, each cut at 500 characters).
final class StderrTail: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [String] = []

    func append(_ line: String) {
        let cut = line.count > 500 ? String(line.prefix(500)) + "…" : line
        lock.withLock {
            kept.append(cut)
            if kept.count > 20 { kept.removeFirst(kept.count - 20) }
        }
    }

    var lines: [String] { lock.withLock { kept } }
}

/// The process groups of the servers that are running, sent SIGTERM when this process exits
/// normally (`exit()`, the end of `main`) so that none outlives it. A process killed with
/// SIGKILL runs no handler: its servers then read the end of their standard input (the pipe's
/// last writer is gone), which MCP servers take as the end of the session.
final class LiveGroups: @unchecked Sendable {
    static let shared: LiveGroups = {
        atexit { LiveGroups.shared.terminateAll() }
        return LiveGroups()
    }()

    private let lock = NSLock()
    private var groups: Set<Int32> = []

    func insert(_ group: Int32) { _ = lock.withLock { groups.insert(group) } }
    func remove(_ group: Int32) { _ = lock.withLock { groups.remove(group) } }

    private func terminateAll() {
        for group in lock.withLock({ groups }) { _ = kill(-group, SIGTERM) }
    }
}
