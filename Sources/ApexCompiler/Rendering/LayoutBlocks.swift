/// The blocks of a ``PlanLayout``: each list a stack of elements on one center line, each
/// `parallel`/`foreach` a row of clusters (boxes holding a stack) between its fork and its
/// join. Measured bottom up, then placed top down.
struct LayoutBlocks {
    typealias Rect = PlanLayout.Rect

    enum Element {
        case node(Int)
        /// The clusters of one `parallel` or `foreach`, side by side.
        case row([Int])
        /// The top or bottom end of a cluster's stack: edges from the fork come in at the top
        /// one, edges to the join leave from the bottom one.
        case anchor
    }

    struct Stack {
        var elements: [Element] = []
        /// The cluster the stack is in (nil for the top level).
        var cluster: Int?
        /// How far the elements reach left and right of the center line.
        var content = Extent()
        /// How far the stack reaches, lanes and labels included.
        var reach = Extent()
        var heights: [Double] = []
        var height = 0.0
        var centerX = 0.0
        var tops: [Double] = []
    }

    struct NodeBox {
        var node: PlanGraph.Node
        var stack: Int
        var position: Int
        var frame = Rect(x: 0, y: 0, width: 0, height: 0)
    }

    /// How far something reaches left and right of a center line.
    struct Extent {
        var left = 0.0
        var right = 0.0

        func union(_ other: Extent) -> Extent {
            Extent(left: max(left, other.left), right: max(right, other.right))
        }
    }

    struct ClusterBox {
        var id: String
        var title: String
        var stack = 0
        /// From the box's left side to its stack's center line.
        var centerOffset = 0.0
        /// The nodes of the `parallel`/`foreach` the cluster belongs to.
        var fork: Int?
        var join: Int?
        var frame = Rect(x: 0, y: 0, width: 0, height: 0)
    }

    /// Where an edge can start or end: a node, or a cluster's anchor (a point).
    struct Endpoint {
        var frame: Rect
        var shape: PlanGraph.Shape?

        /// The point on the left or right boundary at `dy` from the middle.
        func side(at dy: Double, right: Bool) -> PlanLayout.Point {
            let half = shape.map { LayoutMetrics.halfWidth(of: $0, halfWidth: frame.width / 2, halfHeight: frame.height / 2, at: dy) } ?? 0
            return PlanLayout.Point(x: frame.midX + (right ? half : -half), y: frame.midY + dy)
        }
    }

    private(set) var stacks: [Stack] = []
    /// In plan order.
    private(set) var nodes: [NodeBox] = []
    /// Outer clusters first.
    private(set) var clusters: [ClusterBox] = []
    private(set) var nodeIndex: [String: Int] = [:]
    private(set) var width = 0.0
    private(set) var height = 0.0

    init(graph: PlanGraph) {
        _ = addStack(graph.items, cluster: nil)
    }

    /// Adds the stack of `items` and, recursively, the stacks of its clusters.
    private mutating func addStack(_ items: [PlanGraph.Item], cluster: Int?) -> Int {
        let index = stacks.count
        stacks.append(Stack(cluster: cluster))
        var elements: [Element] = cluster == nil ? [] : [.anchor]
        for item in items {
            switch item {
            case .node(let node):
                nodeIndex[node.id] = nodes.count
                if case .row(let row) = elements.last {
                    for member in row { clusters[member].join = nodes.count }
                }
                nodes.append(NodeBox(node: node, stack: index, position: elements.count))
                elements.append(.node(nodes.count - 1))
            case .cluster(let inner):
                let member = clusters.count
                clusters.append(ClusterBox(id: inner.id, title: inner.title))
                switch elements.last {
                case .row(let row):
                    clusters[member].fork = clusters[row[0]].fork
                    elements[elements.count - 1] = .row(row + [member])
                case .node(let fork):
                    clusters[member].fork = fork
                    elements.append(.row([member]))
                case .anchor, nil:
                    elements.append(.row([member]))
                }
                clusters[member].stack = addStack(inner.items, cluster: member)
            }
        }
        if cluster != nil { elements.append(.anchor) }
        stacks[index].elements = elements
        return index
    }

    // MARK: - Measuring and placing

    /// Sizes every stack and cluster; `lanes` are the lanes and labels of each stack.
    mutating func measure(widening lanes: [LayoutRoutes.Lanes]) {
        measure(stack: 0, lanes: lanes)
        width = stacks[0].reach.left + stacks[0].reach.right + 2 * LayoutMetrics.margin
        height = stacks[0].height + 2 * LayoutMetrics.margin
    }

    private mutating func measure(stack index: Int, lanes: [LayoutRoutes.Lanes]) {
        var content = Extent()
        var heights: [Double] = []
        for element in stacks[index].elements {
            switch element {
            case .node(let node):
                let size = LayoutMetrics.size(of: nodes[node].node)
                nodes[node].frame.width = size.width
                nodes[node].frame.height = size.height
                content = content.union(Extent(left: size.width / 2, right: size.width / 2))
                heights.append(size.height)
            case .row(let row):
                for member in row {
                    let inner = clusters[member].stack
                    measure(stack: inner, lanes: lanes)
                    // The title sits left of the center line, clear of the edges coming in.
                    let left = max(stacks[inner].reach.left, LayoutMetrics.titleWidth(clusters[member].title) + 6) + LayoutMetrics.clusterPadding
                    clusters[member].centerOffset = left
                    clusters[member].frame.width = left + stacks[inner].reach.right + LayoutMetrics.clusterPadding
                    clusters[member].frame.height = LayoutMetrics.titleBand + stacks[inner].height + LayoutMetrics.clusterPadding
                }
                content = content.union(rowExtent(row))
                heights.append(row.map { clusters[$0].frame.height }.max() ?? 0)
            case .anchor:
                heights.append(0)
            }
        }
        stacks[index].content = content
        stacks[index].reach = lanes[index].reach(content: content)
        stacks[index].heights = heights
        stacks[index].height = heights.reduce(0, +) + heights.indices.dropLast().map { gap(after: $0, in: index) }.reduce(0, +)
    }

    /// The space below element `position` of stack `index`: less next to an anchor, where no
    /// edge needs room for a label and an arrow between two nodes.
    func gap(after position: Int, in index: Int) -> Double {
        let elements = stacks[index].elements
        if case .anchor = elements[position] { return LayoutMetrics.anchorGap }
        if position + 1 < elements.count, case .anchor = elements[position + 1] { return LayoutMetrics.anchorGap }
        return LayoutMetrics.gap
    }

    /// A lone cluster has its center line on its stack's; several are centered as a whole.
    private func rowExtent(_ row: [Int]) -> Extent {
        if row.count == 1 {
            let cluster = clusters[row[0]]
            return Extent(left: cluster.centerOffset, right: cluster.frame.width - cluster.centerOffset)
        }
        let width = row.map { clusters[$0].frame.width }.reduce(0, +) + LayoutMetrics.rowGap * Double(row.count - 1)
        let left = (width / 2).rounded(.down)
        return Extent(left: left, right: width - left)
    }

    /// Gives every node, cluster and stack its position; ``measure(widening:)`` first.
    mutating func place() {
        place(stack: 0, centerX: LayoutMetrics.margin + stacks[0].reach.left, top: LayoutMetrics.margin)
    }

    private mutating func place(stack index: Int, centerX: Double, top: Double) {
        stacks[index].centerX = centerX
        var y = top
        for (position, element) in stacks[index].elements.enumerated() {
            stacks[index].tops.append(y)
            switch element {
            case .node(let node):
                nodes[node].frame.x = centerX - nodes[node].frame.width / 2
                nodes[node].frame.y = y
            case .row(let row):
                var x = centerX - rowExtent(row).left
                for member in row {
                    clusters[member].frame.x = x
                    clusters[member].frame.y = y
                    place(stack: clusters[member].stack, centerX: x + clusters[member].centerOffset, top: y + LayoutMetrics.titleBand)
                    x += clusters[member].frame.width + LayoutMetrics.rowGap
                }
            case .anchor:
                break
            }
            y += stacks[index].heights[position] + gap(after: position, in: index)
        }
    }

    /// The node or anchor at `position` of `stack`; after ``place()``.
    func endpoint(stack: Int, position: Int) -> Endpoint {
        switch stacks[stack].elements[position] {
        case .node(let node):
            return Endpoint(frame: nodes[node].frame, shape: nodes[node].node.shape)
        case .anchor, .row:
            // Rows are never the end of an edge; anchors are points on the center line.
            return Endpoint(frame: Rect(x: stacks[stack].centerX, y: stacks[stack].tops[position], width: 0, height: 0), shape: nil)
        }
    }
}
