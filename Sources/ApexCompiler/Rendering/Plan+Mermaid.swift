extension Plan {
    /// The plan as a Mermaid flowchart (`flowchart TD`), for docs, pull requests and
    /// `apex graph --format mermaid`.
    ///
    /// One node per state labelled `id<br/>kind` (an agent's followed by its tools,
    /// ``PlanAgent/labelLines``), a start and an end node, `parallel` branches and `foreach`
    /// bodies as subgraphs followed by their `join_<id>` node. Edges carry `if false` (dashed:
    /// the step was skipped), a switch case's condition as written, `default` or `no match`, and
    /// `catch: <errors>` (dashed). The text is the same for the same plan.
    public var mermaid: String {
        mermaid(statuses: [:])
    }

    /// ``mermaid`` with each state coloured by its status in `statuses` (`pending` when
    /// absent): a `classDef status_<status>` per status used and `class <nodes> status_<status>`
    /// lines. Empty `statuses` give the plain ``mermaid``.
    public func mermaid(statuses: [StateID: String]) -> String {
        let graph = PlanGraph(plan: self)
        var lines = ["flowchart TD"]
        Self.appendMermaid(graph.items, indent: "    ", to: &lines)
        for edge in graph.edges {
            let arrow = edge.style == .dashed ? "-.->" : "-->"
            let label = edge.label.map { "|\"\(Self.mermaidEscaped($0))\"|" } ?? ""
            lines.append("    \(edge.from) \(arrow)\(label) \(edge.to)")
        }
        if !statuses.isEmpty {
            let groups = graph.stateNodesByStatus(statuses)
            for (style, _) in groups {
                let dash = style.isDashed ? ",stroke-dasharray:4 3" : ""
                lines.append("    classDef status_\(style.status) fill:\(style.fill),stroke:\(style.stroke)\(dash)")
            }
            for (style, nodes) in groups {
                lines.append("    class \(nodes.joined(separator: ",")) status_\(style.status)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func appendMermaid(_ items: [PlanGraph.Item], indent: String, to lines: inout [String]) {
        for item in items {
            switch item {
            case .node(let node):
                let label = "\"" + node.lines.map(mermaidEscaped).joined(separator: "<br/>") + "\""
                let shaped = switch node.shape {
                case .terminal: "([\(label)])"
                case .step: "[\(label)]"
                case .decision: "{\(label)}"
                case .fork: "{{\(label)}}"
                case .join: "((\(label)))"
                case .failure: ">\(label)]"
                }
                lines.append(indent + node.id + shaped)
            case .cluster(let cluster):
                lines.append("\(indent)subgraph \(cluster.id) [\"\(mermaidEscaped(cluster.title))\"]")
                appendMermaid(cluster.items, indent: indent + "    ", to: &lines)
                lines.append("\(indent)end")
            }
        }
    }

    /// Text made safe inside a quoted Mermaid label: `#`, quotes, angle brackets and `|` become
    /// entity codes (`#` too, since the codes start with it).
    static func mermaidEscaped(_ text: String) -> String {
        text.escaping(["#": "#35;", "\"": "#quot;", "<": "#lt;", ">": "#gt;", "|": "#124;"])
    }
}
