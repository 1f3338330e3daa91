import ApexDSL
import ApexEngine
import ApexMCP
import Foundation

/// The MCP servers of one agent attempt: each started on first use (at the step's start, to
/// list its tools; after a resumption, at its first call) and all stopped when the attempt ends.
actor AgentMCPServers {
    private let entries: [AgentTool]
    /// The folder a server runs in when its entry names none: the workflow file's.
    private let workflowDirectory: String
    private let environment: (MCPServerSpec) throws -> [String: String]
    private var running: [Int: MCPToolServer] = [:]
    /// How long a server may take to start and answer `initialize`, or to list its tools: an
    /// interpreter on a loaded machine can take seconds.
    static let startTimeout: Swift.Duration = .seconds(60)

    init(entries: [AgentTool], workflowDirectory: String, environment: @escaping @Sendable (MCPServerSpec) throws -> [String: String]) {
        self.entries = entries
        self.workflowDirectory = workflowDirectory
        self.environment = environment
    }

    /// The tools of every `mcp` entry, filtered by its `allow` (a name it does not have is an
    /// `agent.mcp` failure).
    func listTools() async throws(AgentFailure) -> [AgentToolbox.MCPTool] {
        var found: [AgentToolbox.MCPTool] = []
        for (index, entry) in entries.enumerated() {
            guard case .mcp(let spec) = entry.kind else { continue }
            let advertised: [MCPToolInfo]
            do { advertised = try await server(index).tools(timeout: Self.startTimeout) } catch let error as AgentFailure { throw error } catch {
                throw AgentFailure("agent.mcp", "the MCP server \(Self.describe(spec)) did not list its tools: \(error)", retryable: true)
            }
            let names = Set(advertised.map(\.name))
            if let allow = spec.allow, let missing = allow.first(where: { !names.contains($0.value) }) {
                throw AgentFailure("agent.mcp", "the MCP server \(Self.describe(spec)) has no tool \"\(missing.value)\" named in `allow` (it has: \(names.sorted().joined(separator: ", ")))")
            }
            let allowed = spec.allow.map { Set($0.map(\.value)) }
            for tool in advertised where allowed?.contains(tool.name) ?? true {
                found.append(AgentToolbox.MCPTool(entry: index, name: tool.name, description: tool.description, inputSchema: tool.inputSchema))
            }
        }
        return found
    }

    /// Calls `tool` of the server of entry `entry`.
    func call(entry: Int, tool: String, arguments: JSONValue, timeout: Duration?) async throws(AgentFailure) -> MCPToolResult {
        let server = try await server(entry)
        do {
            return try await server.call(name: tool, arguments: arguments, timeout: timeout.map { .milliseconds($0.milliseconds) } ?? .seconds(300))
        } catch {
            throw AgentFailure("agent.mcp", "the MCP tool \(tool) failed: \(error)", retryable: true)
        }
    }

    /// Stops every server this attempt started.
    func stopAll() async {
        for server in running.values { await server.stop() }
        running.removeAll()
    }

    private func server(_ index: Int) async throws(AgentFailure) -> MCPToolServer {
        if let server = running[index] { return server }
        guard entries.indices.contains(index), case .mcp(let spec) = entries[index].kind else {
            throw AgentFailure("agent.mcp", "the step has no MCP entry \(index)")
        }
        let directory = spec.cwd.map { $0.value.hasPrefix("/") ? $0.value : workflowDirectory + "/" + $0.value } ?? workflowDirectory
        do {
            let server = try await MCPToolServer.start(command: spec.command.map(\.value), environment: try environment(spec), directory: directory,
                                                       timeout: Self.startTimeout)
            running[index] = server
            return server
        } catch {
            throw AgentFailure("agent.mcp", "the MCP server \(Self.describe(spec)) did not start: \(error)", retryable: true)
        }
    }

    static func describe(_ spec: MCPServerSpec) -> String {
        "`" + spec.command.map(\.value).joined(separator: " ") + "`"
    }
}
