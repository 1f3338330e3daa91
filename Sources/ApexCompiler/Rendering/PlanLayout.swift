/// A plan's graph with positions: what ``Plan/svg(statuses:)`` draws.
///
/// A block layout, top to bottom in plan order. Each list is a vertical stack of its nodes,
/// centered on one line; after a `parallel` or `foreach` node its branches or body come as
/// clusters side by side, then its join. Edges between vertically adjacent nodes are straight;
/// an edge that skips nodes runs down a lane on the left of its stack, an edge to an earlier
/// node (a loop) up a lane on the right (a back edge). Lanes are outside everything in their
/// stack and as wide as their labels, so labels never cover a node or each other.
///
/// Sizes are estimated from character counts (no font is measured), so the same graph always
/// gets the same numbers.
struct PlanLayout {
    struct Point: Hashable {
        var x: Double
        var y: Double
    }

    struct Rect: Hashable {
        var x: Double
        var y: Double
        var width: Double
        var height: Double

        var maxX: Double { x + width }
        var maxY: Double { y + height }
        var midX: Double { x + width / 2 }
        var midY: Double { y + height / 2 }
    }

    struct PlacedNode {
        var node: PlanGraph.Node
        var frame: Rect
    }

    struct PlacedCluster {
        var id: String
        var title: String
        var frame: Rect
    }

    struct Label {
        var text: String
        /// Where the text's baseline starts, or ends when `alignsEnd`.
        var at: Point
        var alignsEnd = false
    }

    struct RoutedEdge {
        var edge: PlanGraph.Edge
        /// A polyline from the source's boundary to the target's.
        var points: [Point]
        var label: Label?
        /// Whether the edge goes back up to an earlier node (a loop).
        var isBack: Bool
    }

    var width: Double
    var height: Double
    /// In plan order.
    var nodes: [PlacedNode]
    /// Outer clusters before the clusters inside them.
    var clusters: [PlacedCluster]
    /// In the graph's edge order.
    var edges: [RoutedEdge]

    init(graph: PlanGraph) {
        var blocks = LayoutBlocks(graph: graph)
        let routes = LayoutRoutes(graph: graph, blocks: blocks)
        blocks.measure(widening: routes.lanes)
        blocks.place()
        width = blocks.width
        height = blocks.height
        nodes = blocks.nodes.map { PlacedNode(node: $0.node, frame: $0.frame) }
        clusters = blocks.clusters.map { PlacedCluster(id: $0.id, title: $0.title, frame: $0.frame) }
        edges = routes.draw(graph.edges, on: blocks)
    }
}
