extension Plan {
    /// The plan as a Graphviz digraph, for `apex graph --format dot | dot -Tsvg`.
    ///
    /// It draws what ``mermaid`` draws: `parallel` branches and `foreach` bodies become
    /// `cluster_` subgraphs, skips and catches are dashed edges. The text is the same for the
    /// same plan.
    public var dot: String {
        dot(statuses: [:])
    }

    /// ``dot`` with each state's node filled in the colours of its status in `statuses`
    /// (`pending` when absent). Empty `statuses` give the plain ``dot``.
    public func dot(statuses: [StateID: String]) -> String {
        let graph = PlanGraph(plan: self)
        var lines = [
            "digraph \(Self.dotQuoted(graph.title)) {",
            "    node [shape=box, style=rounded];",
        ]
        Self.appendDOT(graph.items, indent: "    ", to: &lines) { node in
            statuses.isEmpty ? nil : graph.statusStyle(of: node, in: statuses)
        }
        for edge in graph.edges {
            var attributes: [String] = []
            if let label = edge.label { attributes.append("label=\(Self.dotQuoted(label))") }
            if edge.style == .dashed { attributes.append("style=dashed") }
            let suffix = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
            lines.append("    \(Self.dotQuoted(edge.from)) -> \(Self.dotQuoted(edge.to))\(suffix);")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Appends the nodes and clusters of `items`; `colour` gives a node's status style, if
    /// it is filled.
    private static func appendDOT(_ items: [PlanGraph.Item], indent: String, to lines: inout [String],
                                  colour: (PlanGraph.Node) -> GraphStatusStyle?) {
        for item in items {
            switch item {
            case .node(let node):
                let label = node.lines.map { dotQuoted($0).dropFirst().dropLast() }.joined(separator: "\\n")
                // Boxes are rounded by the graph's node default.
                let (shape, style): (String?, String?) = switch node.shape {
                case .terminal: ("oval", "bold")
                case .step: (nil, nil)
                case .decision: ("diamond", "solid")
                case .fork: ("hexagon", "solid")
                case .join: ("circle", "solid")
                case .failure: ("octagon", "solid")
                }
                var attributes = ["label=\"\(label)\""]
                if let shape { attributes.append("shape=\(shape)") }
                if let status = colour(node) {
                    let styles = (node.shape == .step ? ["rounded"] : []) + (status.isDashed ? ["dashed"] : []) + ["filled"]
                    attributes += ["style=\"\(styles.joined(separator: ","))\"", "fillcolor=\"\(status.fill)\"", "color=\"\(status.stroke)\""]
                } else if let style {
                    attributes.append("style=\(style)")
                }
                lines.append("\(indent)\(dotQuoted(node.id)) [\(attributes.joined(separator: ", "))];")
            case .cluster(let cluster):
                lines.append("\(indent)subgraph \(dotQuoted("cluster_" + cluster.id)) {")
                lines.append("\(indent)    label=\(dotQuoted(cluster.title));")
                appendDOT(cluster.items, indent: indent + "    ", to: &lines, colour: colour)
                lines.append("\(indent)}")
            }
        }
    }

    /// A DOT quoted string: `\` and `"` escaped, line breaks as `\n`.
    static func dotQuoted(_ text: String) -> String {
        "\"" + text.escaping(["\\": "\\\\", "\"": "\\\"", "\n": "\\n"]) + "\""
    }
}
