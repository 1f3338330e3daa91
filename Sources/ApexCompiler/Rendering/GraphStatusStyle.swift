/// How a graph colours a state by its status in a run: one entry per status word, shared by
/// the SVG, Mermaid and DOT renderings (docs/cli.md, "`apex graph`").
///
/// The words are a step's statuses (`scheduled`, `running`, `waiting`, `completed`, `failed`,
/// `cancelled`, `skipped`) plus `retrying` (running again after a failed attempt) and
/// `pending` (not visited yet). A word outside them is drawn like `pending`.
struct GraphStatusStyle {
    var status: String
    var fill: String
    var stroke: String
    var isDashed = false

    /// Every status, in the order renderings list them.
    static let all: [GraphStatusStyle] = [
        GraphStatusStyle(status: "pending", fill: "#ffffff", stroke: "#9ca3af"),
        GraphStatusStyle(status: "scheduled", fill: "#eff6ff", stroke: "#60a5fa"),
        GraphStatusStyle(status: "running", fill: "#dbeafe", stroke: "#2563eb"),
        GraphStatusStyle(status: "waiting", fill: "#fef3c7", stroke: "#d97706"),
        GraphStatusStyle(status: "retrying", fill: "#ffedd5", stroke: "#ea580c"),
        GraphStatusStyle(status: "completed", fill: "#dcfce7", stroke: "#16a34a"),
        GraphStatusStyle(status: "failed", fill: "#fee2e2", stroke: "#dc2626"),
        GraphStatusStyle(status: "cancelled", fill: "#e5e7eb", stroke: "#374151"),
        GraphStatusStyle(status: "skipped", fill: "#f9fafb", stroke: "#d1d5db", isDashed: true),
    ]

    static let pending = all[0]

    /// The style of `status`; `pending`'s for a word outside the vocabulary.
    static func of(_ status: String) -> GraphStatusStyle {
        all.first { $0.status == status } ?? pending
    }

    /// `status` as a class name part: letters, digits, `-` and `_` kept, anything else `_`
    /// (the statuses are plain words; this keeps a caller's odd one from breaking the syntax).
    static func className(_ status: String) -> String {
        String(status.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
    }
}

extension PlanGraph {
    /// Every node, in plan order.
    var nodes: [Node] {
        func walk(_ items: [Item]) -> [Node] {
            items.flatMap { item -> [Node] in
                switch item {
                case .node(let node): [node]
                case .cluster(let cluster): walk(cluster.items)
                }
            }
        }
        return walk(items)
    }

    /// The style of a state's node by its status in `statuses`, `pending` when absent; nil for
    /// the start, end and join nodes.
    func statusStyle(of node: Node, in statuses: [StateID: String]) -> GraphStatusStyle? {
        node.state.map { GraphStatusStyle.of(statuses[$0] ?? GraphStatusStyle.pending.status) }
    }

    /// The ids of the state nodes by status style, for the statuses that have any, in the
    /// order of ``GraphStatusStyle/all``.
    func stateNodesByStatus(_ statuses: [StateID: String]) -> [(style: GraphStatusStyle, nodes: [String])] {
        let styled = nodes.compactMap { node in statusStyle(of: node, in: statuses).map { (status: $0.status, id: node.id) } }
        return GraphStatusStyle.all.compactMap { style in
            let members = styled.filter { $0.status == style.status }.map(\.id)
            return members.isEmpty ? nil : (style, members)
        }
    }
}
