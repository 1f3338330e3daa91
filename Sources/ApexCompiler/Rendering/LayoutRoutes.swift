/// The edges of a ``PlanLayout``: which stack each one runs in and how (straight, down a lane
/// on the left, up a lane on the right), the lanes, and finally the polylines and labels.
///
/// Every transition stays in its list, so an edge runs within one stack, except the edges from
/// a fork into its clusters and from inside a cluster to its join: those run in the cluster's
/// stack from or to one of its anchors, and cross the gap above or below the row on a shared
/// horizontal line.
struct LayoutRoutes {
    typealias Point = PlanLayout.Point

    enum Kind: Equatable {
        /// To the next element: a vertical line.
        case straight
        /// Down past other elements, in a lane on the left (0 is the innermost).
        case forward(lane: Int)
        /// Up to an earlier element or the same one, in a lane on the right.
        case back(lane: Int)
    }

    /// The part of an edge within one stack, between two of its positions.
    struct Route {
        var stack: Int
        var from: Int
        var to: Int
        var label: String?
        var isDashed: Bool
        var kind = Kind.straight
    }

    /// How a graph edge is drawn.
    enum Course {
        case within(route: Int)
        case toJoin(route: Int, join: Int)
        case fromFork(fork: Int, route: Int)
        /// Never made by a plan's graph; a plain line rather than a crash.
        case direct(from: Int, to: Int)
    }

    /// A stack's lanes on each side (each as wide as its widest label) and how far right its
    /// straight edges' labels reach.
    struct Lanes {
        var left: [Double] = []
        var right: [Double] = []
        var labelReach = 0.0

        /// How far a stack whose elements reach `content` reaches with these lanes.
        func reach(content: LayoutBlocks.Extent) -> LayoutBlocks.Extent {
            LayoutBlocks.Extent(left: content.left + (left.isEmpty ? 0 : LayoutMetrics.laneMargin + left.reduce(0, +)),
                                right: max(content.right, labelReach) + (right.isEmpty ? 0 : LayoutMetrics.laneMargin + right.reduce(0, +)))
        }

        /// Where a lane's line is, from the stack's center line. A label sits inside its lane,
        /// between the line and the stack's elements.
        func offset(of kind: Kind, content: LayoutBlocks.Extent) -> Double {
            switch kind {
            case .straight: 0
            case .forward(let lane): -(content.left + LayoutMetrics.laneMargin + left[0...lane].reduce(0, +))
            case .back(let lane): max(content.right, labelReach) + LayoutMetrics.laneMargin + right[0...lane].reduce(0, +)
            }
        }
    }

    private(set) var routes: [Route] = []
    /// One per graph edge.
    private(set) var courses: [Course] = []
    /// One per stack.
    private(set) var lanes: [Lanes]

    init(graph: PlanGraph, blocks: LayoutBlocks) {
        lanes = Array(repeating: Lanes(), count: blocks.stacks.count)
        for edge in graph.edges {
            courses.append(course(of: edge, in: blocks))
        }
        chooseStraightRoutes()
        assignLanes()
        for route in routes {
            let width = route.label.map(LayoutMetrics.labelWidth) ?? 0
            switch route.kind {
            case .straight:
                if width > 0 { lanes[route.stack].labelReach = max(lanes[route.stack].labelReach, 6 + width + 4) }
            case .forward(let lane):
                lanes[route.stack].left[lane] = max(lanes[route.stack].left[lane], width + 12)
            case .back(let lane):
                lanes[route.stack].right[lane] = max(lanes[route.stack].right[lane], width + 12)
            }
        }
    }

    private mutating func course(of edge: PlanGraph.Edge, in blocks: LayoutBlocks) -> Course {
        guard let from = blocks.nodeIndex[edge.from], let to = blocks.nodeIndex[edge.to] else {
            preconditionFailure("an edge between unknown nodes \(edge.from) → \(edge.to)")
        }
        let source = blocks.nodes[from], target = blocks.nodes[to]
        func route(_ stack: Int, _ start: Int, _ end: Int) -> Int {
            routes.append(Route(stack: stack, from: start, to: end, label: edge.label, isDashed: edge.style == .dashed))
            return routes.count - 1
        }
        if source.stack == target.stack {
            return .within(route: route(source.stack, source.position, target.position))
        }
        if let cluster = blocks.stacks[source.stack].cluster, blocks.clusters[cluster].join == to {
            return .toJoin(route: route(source.stack, source.position, blocks.stacks[source.stack].elements.count - 1), join: to)
        }
        if let cluster = blocks.stacks[target.stack].cluster, blocks.clusters[cluster].fork == from {
            return .fromFork(fork: from, route: route(target.stack, 0, target.position))
        }
        return .direct(from: from, to: to)
    }

    /// One route per pair of neighbours is a straight line: a solid edge's before a dashed
    /// one's (a skipped step's `if false` edge often goes where its `next` goes).
    private mutating func chooseStraightRoutes() {
        var taken: Set<[Int]> = []
        var kinds = Array(repeating: Kind?.none, count: routes.count)
        for dashed in [false, true] {
            for (index, route) in routes.enumerated() where route.isDashed == dashed && route.to == route.from + 1 {
                if taken.insert([route.stack, route.from]).inserted { kinds[index] = .straight }
            }
        }
        for index in routes.indices {
            // The lanes themselves are assigned next.
            routes[index].kind = kinds[index] ?? (routes[index].to > routes[index].from ? .forward(lane: -1) : .back(lane: -1))
        }
    }

    /// Gives each lane route of each stack side a lane: the shortest spans first, each in the
    /// innermost lane that no overlapping route uses and outside every route it spans (so a
    /// long skip goes around the short ones instead of across them).
    private mutating func assignLanes() {
        for stack in lanes.indices {
            for back in [false, true] {
                let members = routes.indices.filter { routes[$0].stack == stack && routes[$0].kind != .straight && (routes[$0].to <= routes[$0].from) == back }
                let spans = members.map { (low: min(routes[$0].from, routes[$0].to), high: max(routes[$0].from, routes[$0].to)) }
                let assigned = Self.lanes(for: spans)
                for (member, lane) in zip(members, assigned) { routes[member].kind = back ? .back(lane: lane) : .forward(lane: lane) }
                let widths = Array(repeating: LayoutMetrics.laneWidth, count: (assigned.max() ?? -1) + 1)
                if back { lanes[stack].right = widths } else { lanes[stack].left = widths }
            }
        }
    }

    /// The lane of each span of stack positions (see ``assignLanes()``).
    private static func lanes(for spans: [(low: Int, high: Int)]) -> [Int] {
        var lanes = Array(repeating: -1, count: spans.count)
        let order = spans.indices.sorted { (spans[$0].high - spans[$0].low, spans[$0].low, $0) < (spans[$1].high - spans[$1].low, spans[$1].low, $1) }
        for index in order {
            var used: Set<Int> = []
            var lowest = 0
            for other in order where lanes[other] >= 0 && spans[other].low <= spans[index].high && spans[index].low <= spans[other].high {
                used.insert(lanes[other])
                if spans[index].low <= spans[other].low, spans[other].high <= spans[index].high { lowest = max(lowest, lanes[other] + 1) }
            }
            var lane = lowest
            while used.contains(lane) { lane += 1 }
            lanes[index] = lane
        }
        return lanes
    }
}
