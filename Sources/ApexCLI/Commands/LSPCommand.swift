import ApexDSL
import ArgumentParser
import Foundation

/// `apex lsp`: a Language Server on standard input and output (docs/cli.md, "`apex lsp`").
struct LSPCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Serve the Language Server Protocol on stdio: diagnostics and completion in editors.",
        discussion: """
            Speaks LSP (JSON-RPC 2.0 with Content-Length framing) on standard input and output. \
            On open and on every change of a workflow or test file, it publishes apex \
            validate's diagnostics with their exact ranges (UTF-16 positions, the LSP \
            default) and rule ids; it completes expressions inside ${{ }} (contexts, \
            function names, step ids after steps., and the fields of known output shapes \
            such as steps.<id>.output.data.<field> from an llm schema) and step ids after \
            next:. Log lines go to standard error.

            Editors start it as a command, for YAML files:
              Neovim:  vim.lsp.start({ name = "apex", cmd = { "apex", "lsp" } })
              Helix:   [language-server.apex] command = "apex", args = ["lsp"]

            Exit status: 0 after shutdown and exit, 1 at exit without shutdown or when the \
            input ends first.
            """
    )

    func run(console: Console) async throws -> ExitCode {
        var framing = LSPFraming()
        var server = LanguageServer { message in console.output.write(LSPFraming.frame(message)) }
        while true {
            while let body = framing.next() {
                guard let message = try? JSONValue(parsing: String(decoding: body, as: UTF8.self)) else {
                    console.output.write(LSPFraming.frame(["jsonrpc": "2.0", "id": .null, "error": ["code": -32700, "message": "the message is not JSON"]]))
                    continue
                }
                if let status = server.handle(message) { return ExitCode(status) }
            }
            let data = console.input.availableData
            if data.isEmpty { return ExitCode(1) }
            framing.append(data)
        }
    }
}
