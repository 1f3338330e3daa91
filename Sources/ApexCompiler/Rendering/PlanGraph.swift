/// A plan drawn as a graph: what the Mermaid and DOT renderings share, so that both show the
/// same nodes, clusters and edges, in the same order, whatever the output syntax.
///
/// Nodes are the states, a start and an end node, and a join node per `parallel`/`foreach`;
/// each branch or body list is a cluster. Everything is in plan order (document order), so the
/// output is stable.
struct PlanGraph {
    enum Shape {
        case terminal, step, decision, fork, join, failure
    }

    struct Node {
        var id: String
        /// The label, one element per line.
        var lines: [String]
        var shape: Shape
        /// The plan state the node draws (nil for start, end and joins).
        var state: StateID? = nil
    }

    /// Dashed edges are the ones taken when something did not happen as planned: a skip, a catch.
    enum Style {
        case solid, dashed
    }

    struct Edge {
        var from: String
        var to: String
        var label: String?
        var style: Style
    }

    struct Cluster {
        var id: String
        var title: String
        var items: [Item]
    }

    indirect enum Item {
        case node(Node)
        case cluster(Cluster)
    }

    var title: String
    var items: [Item] = []
    var edges: [Edge] = []
}

extension String {
    /// The text with each character that `table` names replaced by its entry, in one pass (so a
    /// replacement is never escaped again): the escaping of DOT, Mermaid and SVG labels.
    func escaping(_ table: [Character: String]) -> String {
        var out = ""
        for character in self {
            if let replacement = table[character] { out += replacement } else { out.append(character) }
        }
        return out
    }
}
