extension Plan {
    /// The plan drawn as a standalone SVG document, each state coloured by its status in
    /// `statuses` (`pending` when absent), for `apex graph --format svg` and the web UI.
    ///
    /// The document's structure is a contract (docs/cli.md, "`apex graph`"): a `clusters`,
    /// an `edges` and a `nodes` group; each node a `<g class="node shape-S kind-K status-X"
    /// id="node-ID" data-node data-step data-kind data-status>` (start, end and join nodes have
    /// only `node shape-S` and `data-node`), ids as in ``mermaid`` and ``graphJSON(annotate:)``;
    /// each edge a `<g class="edge" data-from data-to>` (plus `dashed`, `back`). An embedded
    /// style colours the statuses; a page that inlines the SVG can override it. The same plan
    /// and statuses give the same bytes.
    public func svg(statuses: [StateID: String] = [:]) -> String {
        let graph = PlanGraph(plan: self)
        let layout = PlanLayout(graph: graph)
        let width = SVG.number(layout.width), height = SVG.number(layout.height)
        var lines = [
            #"<svg xmlns="http://www.w3.org/2000/svg" class="apex-graph" viewBox="0 0 \#(width) \#(height)" width="\#(width)" height="\#(height)" role="img" aria-label="Graph of workflow \#(SVG.escaped(workflowName))">"#,
            #"<defs><marker id="apex-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>"#,
            "<style>\n\(SVG.style)</style>",
            #"<g class="clusters">"#,
        ]
        lines += layout.clusters.map(SVG.cluster)
        lines += ["</g>", #"<g class="edges">"#]
        lines += layout.edges.map(SVG.edge)
        lines += ["</g>", #"<g class="nodes">"#]
        lines += layout.nodes.map { placed in
            SVG.node(placed, state: placed.node.state.map { id in (self[id], statuses[id] ?? GraphStatusStyle.pending.status) })
        }
        lines += ["</g>", "</svg>"]
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The pieces of ``Plan/svg(statuses:)``.
private enum SVG {
    static func cluster(_ cluster: PlanLayout.PlacedCluster) -> String {
        let frame = cluster.frame
        return #"<g class="cluster" data-cluster="\#(escaped(cluster.id))"><rect \#(box(frame)) rx="8"/>"#
            + #"<text class="cluster-title" x="\#(number(frame.x + LayoutMetrics.clusterPadding))" y="\#(number(frame.y + 16))">\#(escaped(cluster.title))</text></g>"#
    }

    static func edge(_ routed: PlanLayout.RoutedEdge) -> String {
        let classes = ["edge"] + (routed.edge.style == .dashed ? ["dashed"] : []) + (routed.isBack ? ["back"] : [])
        let path = routed.points.enumerated().map { index, point in "\(index == 0 ? "M" : "L")\(number(point.x)) \(number(point.y))" }.joined(separator: " ")
        var text = #"<g class="\#(classes.joined(separator: " "))" data-from="\#(escaped(routed.edge.from))" data-to="\#(escaped(routed.edge.to))">"#
            + #"<path d="\#(path)" marker-end="url(#apex-arrow)"/>"#
        if let label = routed.label {
            let anchor = label.alignsEnd ? #" text-anchor="end""# : ""
            text += #"<text class="edge-label" x="\#(number(label.at.x))" y="\#(number(label.at.y))"\#(anchor)>\#(escaped(label.text))</text>"#
        }
        return text + "</g>"
    }

    /// A node; `state` is the plan state it draws with its status (nil for start, end, joins).
    static func node(_ placed: PlanLayout.PlacedNode, state: (PlanState, String)?) -> String {
        let node = placed.node
        let id = escaped(node.id)
        var text: String
        if let state {
            let (planState, status) = state
            let kind = planState.kind.rawValue
            text = #"<g class="node shape-\#(node.shape) kind-\#(kind) status-\#(GraphStatusStyle.className(status))" id="node-\#(id)" data-node="\#(id)""#
                + #" data-step="\#(escaped(planState.stepID))" data-kind="\#(kind)" data-status="\#(escaped(status))">"#
                + "<title>\(escaped("\(planState.stepID) (\(kind)): \(status)"))</title>"
        } else {
            text = #"<g class="node shape-\#(node.shape)" id="node-\#(id)" data-node="\#(id)">"#
        }
        text += shape(node.shape, in: placed.frame)
        let frame = placed.frame
        for (index, line) in node.lines.enumerated() {
            let baseline = frame.midY + (Double(index) - Double(node.lines.count - 1) / 2) * LayoutMetrics.lineHeight + 4
            text += #"<text x="\#(number(frame.midX))" y="\#(number(baseline))">\#(escaped(line))</text>"#
        }
        return text + "</g>"
    }

    private static func shape(_ shape: PlanGraph.Shape, in frame: PlanLayout.Rect) -> String {
        let (x, y, maxX, maxY, midX, midY) = (frame.x, frame.y, frame.maxX, frame.maxY, frame.midX, frame.midY)
        switch shape {
        case .terminal: return "<rect \(box(frame)) rx=\"\(number(frame.height / 2))\"/>"
        case .step: return "<rect \(box(frame)) rx=\"6\"/>"
        case .decision: return polygon([(midX, y), (maxX, midY), (midX, maxY), (x, midY)])
        case .fork:
            let inset = LayoutMetrics.hexagonInset
            return polygon([(x + inset, y), (maxX - inset, y), (maxX, midY), (maxX - inset, maxY), (x + inset, maxY), (x, midY)])
        case .join:
            return #"<ellipse cx="\#(number(midX))" cy="\#(number(midY))" rx="\#(number(frame.width / 2))" ry="\#(number(frame.height / 2))"/>"#
        case .failure:
            let corner = LayoutMetrics.octagonCorner
            return polygon([(x + corner, y), (maxX - corner, y), (maxX, y + corner), (maxX, maxY - corner),
                            (maxX - corner, maxY), (x + corner, maxY), (x, maxY - corner), (x, y + corner)])
        }
    }

    private static func box(_ frame: PlanLayout.Rect) -> String {
        #"x="\#(number(frame.x))" y="\#(number(frame.y))" width="\#(number(frame.width))" height="\#(number(frame.height))""#
    }

    private static func polygon(_ points: [(Double, Double)]) -> String {
        #"<polygon points="\#(points.map { "\(number($0.0)),\(number($0.1))" }.joined(separator: " "))"/>"#
    }

    /// `value` with at most one decimal, without a trailing `.0`: the same number always
    /// prints the same way.
    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let whole = abs(tenths) / 10, fraction = abs(tenths) % 10
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// `text` safe in XML content and attribute values.
    static func escaped(_ text: String) -> String {
        text.escaping(["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;"])
    }

    /// The embedded style: the font, clusters, edges, then one rule per status (after the
    /// base node rule, so that it wins).
    static let style: String = {
        var rules = [
            ".apex-graph { font-family: ui-sans-serif, system-ui, sans-serif; font-size: 12px; }",
            ".apex-graph text { fill: #111827; }",
            ".apex-graph .cluster > rect { fill: rgba(100, 116, 139, 0.06); stroke: #94a3b8; }",
            ".apex-graph .cluster-title { font-size: 11px; font-weight: 600; fill: #475569; }",
            ".apex-graph .edge > path { fill: none; stroke: #6b7280; stroke-width: 1.25; }",
            ".apex-graph .edge.dashed > path { stroke-dasharray: 5 4; }",
            ".apex-graph .edge-label { font-size: 11px; fill: #374151; paint-order: stroke; stroke: #ffffff; stroke-width: 3px; stroke-linejoin: round; }",
            ".apex-graph #apex-arrow path { fill: #6b7280; }",
            ".apex-graph .node text { text-anchor: middle; }",
            ".apex-graph .node text + text { font-size: 11px; fill: #6b7280; }",
            // A state whose status is not a known word looks pending.
            "\(shapes(".node")) { fill: \(GraphStatusStyle.pending.fill); stroke: \(GraphStatusStyle.pending.stroke); stroke-width: 1.5; }",
            "\(shapes(".shape-terminal")), \(shapes(".shape-join")) { fill: #f3f4f6; stroke: #4b5563; }",
        ]
        for status in GraphStatusStyle.all {
            let dash = status.isDashed ? " stroke-dasharray: 4 3;" : ""
            rules.append("\(shapes(".status-\(status.status)")) { fill: \(status.fill); stroke: \(status.stroke);\(dash) }")
        }
        rules.append(".apex-graph .status-skipped text { fill: #9ca3af; }")
        return rules.joined(separator: "\n") + "\n"
    }()

    /// The selectors of the shape of the nodes `selector` picks.
    private static func shapes(_ selector: String) -> String {
        ["rect", "ellipse", "polygon"].map { ".apex-graph \(selector) > \($0)" }.joined(separator: ", ")
    }
}
