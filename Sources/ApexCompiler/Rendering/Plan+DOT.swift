extension Plan {
    /// The plan as a Graphviz digraph, for `apex graph --format dot | dot -Tsvg`.
    ///
    /// It draws what ``mermaid`` draws: `parallel` branches and `foreach` bodies become
    /// `cluster_` subgraphs, skips and catches are dashed edges. The text is the same for the
    /// same plan.
    public var dot: String {
        let graph = PlanGraph(plan: self)
        var lines = [
            "digraph \(Self.dotQuoted(graph.title)) {",
            "    node [shape=box, style=rounded];",
        ]
        Self.appendDOT(graph.items, indent: "    ", to: &lines)
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

    private static func appendDOT(_ items: [PlanGraph.Item], indent: String, to lines: inout [String]) {
        for item in items {
            switch item {
            case .node(let node):
                let label = node.lines.map { dotQuoted($0).dropFirst().dropLast() }.joined(separator: "\\n")
                let shape = switch node.shape {
                case .terminal: ", shape=oval, style=bold"
                case .step: ""
                case .decision: ", shape=diamond, style=solid"
                case .fork: ", shape=hexagon, style=solid"
                case .join: ", shape=circle, style=solid"
                case .failure: ", shape=octagon, style=solid"
                }
                lines.append("\(indent)\(dotQuoted(node.id)) [label=\"\(label)\"\(shape)];")
            case .cluster(let cluster):
                lines.append("\(indent)subgraph \(dotQuoted("cluster_" + cluster.id)) {")
                lines.append("\(indent)    label=\(dotQuoted(cluster.title));")
                appendDOT(cluster.items, indent: indent + "    ", to: &lines)
                lines.append("\(indent)}")
            }
        }
    }

    /// A DOT quoted string: `\` and `"` escaped, line breaks as `\n`.
    static func dotQuoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}
