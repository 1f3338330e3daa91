import ApexDSL
import Foundation
import MCP

/// An MCP server run as a child process and spoken to over stdio: its tools, listed and called.
///
/// ```swift
/// let server = try await MCPToolServer.start(command: ["python3", "tools/search_server.py"], environment: nil, directory: nil)
/// let tools = try await server.tools()
/// let result = try await server.call(name: "search", arguments: ["query": "durable"], timeout: .seconds(30))
/// await server.stop()
/// ```
///
/// **The process.** It inherits only ``inheritedVariables`` from this process's environment,
/// plus the variables given; its stderr is read as it comes (each line to `stderrLine`, the
/// last lines kept for error messages). It runs in a process group of its own, so that
/// ``stop()`` stops what it started too: its input is closed (MCP servers exit at the end of
/// their input), then after half a second the group gets SIGTERM, then SIGKILL two seconds
/// later, and the process is reaped before `stop()` returns. Servers still running when this
/// process exits normally get SIGTERM (an `atexit` handler); if this process is killed
/// (SIGKILL), its servers read the end of their input and end the session themselves.
///
/// **Errors** are ``MCPToolError``s that name the command; a server that has exited is
/// reported with its exit status and the last lines of its stderr. A tool that fails answers
/// normally, with ``MCPToolResult/isError`` set.
///
/// The calls may overlap: each request waits for its own answer.
public actor MCPToolServer {
    /// The command the server was started with.
    public nonisolated let command: [String]
    /// Its process id (the id of its process group too).
    public nonisolated let processID: Int32
    /// The name the server gave for itself when initialized (`serverInfo.name`).
    public nonisolated let serverName: String

    private let child: ChildProcess
    private let client: Client
    /// Fired when the server's output ends or its process exits.
    private let ended: EndSignal
    private var stopping: Task<Void, Never>?

    /// The variables of this process's environment that a server inherits (the rest, API keys
    /// among them, is not passed on unless given in `environment`).
    public static var inheritedVariables: [String] { ChildProcess.inheritedVariables }

    private init(command: [String], child: ChildProcess, client: Client, ended: EndSignal, serverName: String) {
        self.command = command
        self.processID = child.pid
        self.child = child
        self.client = client
        self.ended = ended
        self.serverName = serverName
    }

    /// Starts the server and initializes the MCP session.
    ///
    /// - Parameters:
    ///   - command: The program and its arguments. A program with a `/` is a path (relative to
    ///     `directory`, else to the current folder); otherwise it is looked up on the server's `PATH`.
    ///   - environment: Variables added to the inherited ones (``inheritedVariables``).
    ///   - directory: The server's working folder (default: this process's).
    ///   - timeout: How long starting and initializing may take.
    ///   - stderrLine: Called with each line the server writes to stderr, on a thread of its own.
    /// - Throws: ``MCPToolError`` (`launchFailed`, `exited`, `timedOut`, `protocolError`, `cancelled`).
    ///   The process is stopped before it throws.
    public static func start(command: [String], environment: [String: String]?, directory: String?,
                             timeout: Swift.Duration = .seconds(10),
                             stderrLine: (@Sendable (String) -> Void)? = nil) async throws(MCPToolError) -> MCPToolServer {
        let child = try await ChildProcess.launch(command: command, environment: environment, directory: directory, stderrLine: stderrLine)
        let ended = EndSignal()
        let transport = LineTransport(input: child.output, output: child.input) { ended.fire() }
        child.onExit { ended.fire() }
        let client = Client(name: "apex", version: "0.1.0")
        // When the output ends or the process exits, pending requests fail at once: the SDK's
        // client would wait for answers that cannot come.
        ended.attach { await client.disconnect() }
        let outcome = await race(within: timeout) { try await client.connect(transport: transport) }
        switch outcome {
        case .value(let initialized):
            return MCPToolServer(command: command, child: child, client: client, ended: ended, serverName: initialized.serverInfo.name)
        case .failed(let error):
            // A write that found the pipe closed (EPIPE) means the server is exiting: wait for it
            // long enough for a loaded machine to reap it, so that its status is what is told.
            let brokenPipe = if case MCPError.transportError(let cause as POSIXError) = error { cause.code == .EPIPE } else { false }
            let termination = await child.waitForExit(within: brokenPipe ? .seconds(10) : .milliseconds(300))
            let problem: MCPToolError
            if termination != nil || ended.hasFired || brokenPipe {
                problem = MCPToolError(.exited, "MCP server `\(child.commandLine)` \(termination?.description ?? "closed its standard output") before it was initialized"
                    + (await stderrSuffix(child)))
            } else {
                problem = MCPToolError(.protocolError, "MCP server `\(child.commandLine)` could not be initialized: \(describe(error))" + (await stderrSuffix(child)))
            }
            await shutDown(child, client)
            throw problem
        case .timedOut:
            await shutDown(child, client)
            throw MCPToolError(.timedOut, "MCP server `\(child.commandLine)` did not answer `initialize` within \(Self.format(timeout)); it was stopped"
                + (await stderrSuffix(child)))
        case .cancelled:
            await shutDown(child, client)
            throw MCPToolError(.cancelled, "starting MCP server `\(child.commandLine)` was cancelled")
        }
    }

    /// The tools the server offers, every page of `tools/list`.
    ///
    /// - Parameter timeout: How long the whole listing may take.
    public func tools(timeout: Swift.Duration = .seconds(10)) async throws(MCPToolError) -> [MCPToolInfo] {
        let deadline = ContinuousClock.now + timeout
        var tools: [MCPToolInfo] = []
        var cursor: String?
        var pages = 0
        repeat {
            let request = cursor.map { ListTools.request(.init(cursor: $0)) } ?? ListTools.request(.init())
            let page = try await ask(request, what: "tools/list", until: deadline, timeout: timeout)
            tools += page.tools.map { MCPToolInfo(name: $0.name, description: $0.description, inputSchema: JSONValue($0.inputSchema)) }
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < 1_000
        return tools
    }

    /// Calls a tool.
    ///
    /// - Parameters:
    ///   - name: The tool's name.
    ///   - arguments: Its arguments: a JSON object (or null for none).
    ///   - timeout: How long to wait for the answer; past it the request is cancelled
    ///     (`notifications/cancelled`) and the server stays usable.
    /// - Returns: The answer; a tool's own failure is a result with `isError`.
    /// - Throws: ``MCPToolError``: `rejected` when the server refuses the request (an unknown
    ///   tool, arguments it does not take), `timedOut`, `exited`, `stopped`, `cancelled`,
    ///   `invalidArguments`, `protocolError`.
    public func call(name: String, arguments: JSONValue, timeout: Swift.Duration) async throws(MCPToolError) -> MCPToolResult {
        let values: [String: MCP.Value]?
        switch arguments {
        case .null: values = nil
        case .object(let object): values = object.reduce(into: [:]) { $0[$1.key] = MCP.Value($1.value) }
        default:
            throw MCPToolError(.invalidArguments, "the arguments of tool \(name) must be a JSON object, not \(arguments.typeName)")
        }
        let result = try await ask(CallTool.request(.init(name: name, arguments: values)), what: "tools/call \(name)",
                                   until: ContinuousClock.now + timeout, timeout: timeout)
        return MCPToolResult(text: result.content.map(Self.text).joined(separator: "\n"),
                             structured: result.structuredContent.map(JSONValue.init), isError: result.isError ?? false)
    }

    /// Ends the session and the process (see the type's description); waits until it is reaped.
    /// Safe to call more than once, and from several tasks.
    public func stop() async {
        if let stopping { return await stopping.value }
        let task = Task { [child, client] in await Self.shutDown(child, client) }
        stopping = task
        await task.value
    }

    /// Whether the server process has exited.
    public nonisolated var hasExited: Bool { child.termination != nil }

    /// A server released without ``stop()`` gets SIGTERM (its process group), so that it does
    /// not outlive its last user; its exit then ends the session. Call `stop()` to wait for it.
    deinit {
        if child.termination == nil { child.signal(SIGTERM) }
    }

    // MARK: - Requests

    /// Sends `request` and waits for its answer until `deadline`, turning every way it can go
    /// wrong into an ``MCPToolError``.
    private func ask<M: MCP.Method>(_ request: Request<M>, what: String, until deadline: ContinuousClock.Instant,
                                    timeout: Swift.Duration) async throws(MCPToolError) -> M.Result {
        if stopping != nil { throw MCPToolError(.stopped, "MCP server `\(child.commandLine)` was stopped; \(what) was not sent") }
        if child.termination != nil || ended.hasFired { throw await endedError(while: what) }
        let context: RequestContext<M.Result>
        do { context = try await client.send(request) } catch { throw await failure(error, while: what) }
        let remaining = deadline - ContinuousClock.now
        switch await race(within: max(remaining, .zero), { try await context.value }) {
        case .value(let result):
            return result
        case .failed(let error):
            throw await failure(error, while: what)
        case .timedOut:
            abandon(context.requestID, reason: "timed out")
            throw MCPToolError(.timedOut, "MCP server `\(child.commandLine)` did not answer \(what) within \(Self.format(timeout)); the request was cancelled")
        case .cancelled:
            abandon(context.requestID, reason: "cancelled")
            throw MCPToolError(.cancelled, "\(what) on MCP server `\(child.commandLine)` was cancelled")
        }
    }

    /// Cancels a request nobody waits for any more: its waiter is released at once and the
    /// server is told (`notifications/cancelled`), without waiting for a server that may not read.
    private nonisolated func abandon(_ id: ID, reason: String) {
        Task { [client] in try? await client.cancelRequest(id, reason: reason) }
    }

    /// What a failed request means: the server stopped, exited or closed its output, refused
    /// the request, or answered something unreadable.
    private func failure(_ error: any Error, while what: String) async -> MCPToolError {
        if stopping != nil { return MCPToolError(.stopped, "MCP server `\(child.commandLine)` was stopped before it answered \(what)") }
        // A request fails when the server goes away, sometimes just before we hear of the exit.
        let exited = await child.waitForExit(within: .milliseconds(300)) != nil
        if ended.hasFired || exited {
            return await endedError(while: what)
        }
        switch error {
        case let error as MCPError:
            switch error {
            case .connectionClosed, .transportError:
                return MCPToolError(.exited, "MCP server `\(child.commandLine)` cannot be reached (\(Self.describe(error))) while asking \(what)"
                    + (await Self.stderrSuffix(child)))
            default:
                return MCPToolError(.rejected, "MCP server `\(child.commandLine)` refused \(what): \(Self.describe(error))")
            }
        case is DecodingError:
            return MCPToolError(.protocolError, "MCP server `\(child.commandLine)` answered \(what) with something that is not an MCP result: \(Self.describe(error))")
        default:
            return MCPToolError(.protocolError, "MCP server `\(child.commandLine)` failed \(what): \(Self.describe(error))")
        }
    }

    private func endedError(while what: String) async -> MCPToolError {
        let how = child.termination.map(\.description) ?? "closed its standard output"
        return MCPToolError(.exited, "MCP server `\(child.commandLine)` \(how) before it answered \(what)" + (await Self.stderrSuffix(child)))
    }

    private static func shutDown(_ child: ChildProcess, _ client: Client) async {
        await client.disconnect()  // fails pending requests; closes the server's input
        await child.stop(grace: .milliseconds(500))
    }

    // MARK: - Text

    /// One content of a tool result as text.
    static func text(_ content: Tool.Content) -> String {
        switch content {
        case .text(let text, _, _):
            return text
        case .image(let data, let mimeType, _, _):
            return "[image \(mimeType), \(decodedSize(data)) bytes]"
        case .audio(let data, let mimeType, _, _):
            return "[audio \(mimeType), \(decodedSize(data)) bytes]"
        case .resource(let resource, _, _):
            if let text = resource.text { return "[resource \(resource.uri)]\n\(text)" }
            let size = resource.blob.map { ", \(decodedSize($0)) bytes" } ?? ""
            return "[resource \(resource.uri)\(resource.mimeType.map { " \($0)" } ?? "")\(size)]"
        case .resourceLink(let uri, let name, _, _, _, _):
            return "[resource link \(name) <\(uri)>]"
        }
    }

    /// The size of base64 data once decoded.
    private static func decodedSize(_ base64: String) -> Int {
        let characters = base64.utf8.count - base64.utf8.reversed().prefix(while: { $0 == UInt8(ascii: "=") }).count
        return characters * 3 / 4
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? MCPError { return error.errorDescription ?? "\(error)" }
        if let error = error as? DecodingError {
            switch error {
            case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
                return context.debugDescription
            @unknown default: return "\(error)"
            }
        }
        return "\(error)"
    }

    private static func stderrSuffix(_ child: ChildProcess) async -> String {
        let lines = await child.stderrTail()
        if lines.isEmpty { return "; it wrote nothing to stderr" }
        return "; its stderr ended with:\n" + lines.map { "  " + $0 }.joined(separator: "\n")
    }

    static func format(_ duration: Swift.Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }
}

/// Tells the server, once it exists, that its process exited or its output ended; remembers
/// an end that comes before (a server that exits at once).
private final class EndSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    private var handler: (@Sendable () async -> Void)?

    func attach(_ handler: @escaping @Sendable () async -> Void) {
        let now: Bool = lock.withLock {
            if fired { return true }
            self.handler = handler
            return false
        }
        if now { Task { await handler() } }
    }

    var hasFired: Bool { lock.withLock { fired } }

    func fire() {
        let handler: (@Sendable () async -> Void)? = lock.withLock {
            guard !fired else { return nil }
            fired = true
            defer { self.handler = nil }
            return self.handler
        }
        if let handler { Task { await handler() } }
    }
}
