import ApexDSL
import Foundation

extension PlanAgent {
    /// The longest line of named tools in a label (an entry longer than this has a line alone).
    static let labelLineLength = 40

    /// The lines that list an agent's tools below its node's id and kind: named tools a few to
    /// a line, with `(wait)` after a question for a person and `(approval)` after one that a
    /// person approves (words, not emoji: fonts without emoji draw them as boxes); then each MCP
    /// entry on a line of its own, by its command (file names without folders) and the tools it
    /// allows.
    var labelLines: [String] {
        var lines: [String] = []
        var line = ""
        var servers: [String] = []
        for tool in tools {
            let approved = tool.approval == nil ? "" : " (approval)"
            guard let name = tool.name?.value else {
                if case .mcp(let server) = tool.kind { servers.append(Self.label(of: server) + approved) }
                continue
            }
            var entry = name
            if case .wait = tool.kind { entry += " (wait)" }
            entry += approved
            if line.isEmpty {
                line = entry
            } else if line.count + 2 + entry.count <= Self.labelLineLength {
                line += ", " + entry
            } else {
                lines.append(line + ",")
                line = entry
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines + servers
    }

    /// `mcp: python3 search_server.py (search, fetch)`.
    private static func label(of server: MCPServerSpec) -> String {
        let command = server.command.map { ($0.value as NSString).lastPathComponent }.joined(separator: " ")
        let allowed = server.allow.map { " (\($0.map(\.value).joined(separator: ", ")))" } ?? ""
        return "mcp: \(command)\(allowed)"
    }
}
