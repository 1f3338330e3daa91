import ApexLLM
import ApexMCP
import ArgumentParser
import Foundation
import MCP

/// `apex mcp`: Apex as an MCP server on stdin and stdout, for coding assistants (docs/cli.md,
/// "`apex mcp`"). The tools are in ``MCPTools``.
struct MCPCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve Apex to a coding assistant as an MCP server on stdio: validate, run, runs, show, signal, cancel, graph.",
        discussion: """
            The assistant starts this command and speaks MCP (newline-delimited JSON-RPC 2.0) on its standard \
            input and output; nothing else is written to standard output, and logs go to standard error. It ends \
            at the end of its input, once every request read has been answered.

            Runs use the local store of --db / APEX_DATABASE_URL (as apex run does); llm steps use the providers \
            of the environment, or the mock with --mock-llm. Runs started by the run tool are driven by this \
            process while it runs, and stay durable when it stops: apex resume RUN carries on.

            A coding assistant's MCP configuration (the JSON most assistants read):
              {"mcpServers": {"apex": {"command": "apex", "args": ["mcp"]}}}

            Examples:
              apex mcp
              apex mcp --db sqlite:/work/runs.db --mock-llm
            """
    )

    @OptionGroup var llm: LLMFlags
    @OptionGroup var store: StoreOptions

    @OptionGroup var colorOption: ColorOption

    func run(console: Console) async throws -> ExitCode {
        let settings = Settings(console: console)
        let routing: LLMRouting
        do { routing = try LocalRun.routing(llm) } catch let refusal as RunRefusal {
            console.error.write(refusal.rendered(colors: console.allowsColor(on: console.error)))
            return .badInput
        }
        let tools = MCPTools(settings: settings, store: store, routing: routing, log: console.error)
        let server = Server(name: "apex", version: ApexCommand.version, title: "Apex",
                            instructions: "Apex runs agent workflows written in YAML on a durable engine. Validate a workflow before running it.",
                            capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: MCPTools.definitions) }
        await server.withMethodHandler(CallTool.self) { call in try await tools.call(call.name, arguments: call.arguments ?? [:]) }
        // The protocol gets stdin and stdout for itself (copies of them, with the transport
        // that leaves their flags alone and remembers the requests read until answered);
        // anything else written to stdout during the session goes to stderr instead.
        let input = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3)
        let output = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)
        guard input >= 0, output >= 0 else {
            console.error.writeLine("error: cannot use standard input and output: \(String(cString: strerror(errno)))")
            return ExitCode(1)
        }
        fflush(nil)
        dup2(STDERR_FILENO, STDOUT_FILENO)
        let nothing = open("/dev/null", O_RDONLY)
        if nothing >= 0 {
            dup2(nothing, STDIN_FILENO)
            close(nothing)
        }
        let transport = LineTransport(input: input, output: output, tracksRequests: true)
        try await server.start(transport: transport)
        await server.waitUntilCompleted()
        await transport.waitForAnswers()
        await server.stop()
        return .success
    }
}
