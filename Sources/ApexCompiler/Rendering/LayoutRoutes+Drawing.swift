extension LayoutRoutes {
    /// The polylines and labels of `edges` (the graph's, in order) on placed `blocks`.
    func draw(_ edges: [PlanGraph.Edge], on blocks: LayoutBlocks) -> [PlanLayout.RoutedEdge] {
        let offsets = portOffsets(on: blocks)
        let lines = routes.indices.map { polyline(of: $0, offsets: offsets, on: blocks) }
        return edges.indices.map { draw(edges[$0], courses[$0], lines: lines, on: blocks) }
    }

    private func draw(_ edge: PlanGraph.Edge, _ course: Course, lines: [[Point]], on blocks: LayoutBlocks) -> PlanLayout.RoutedEdge {
        var points: [Point]
        var route: Int?
        switch course {
        case .within(let index):
            points = lines[index]
            route = index
        case .toJoin(let index, let join):
            // Down from the cluster's bottom anchor to a line below the row, along it to the join.
            let end = blocks.nodes[join].frame
            let busY = end.y - LayoutMetrics.gap / 2
            let anchorX = lines[index].last?.x ?? end.midX
            points = lines[index] + [Point(x: anchorX, y: busY), Point(x: end.midX, y: busY), Point(x: end.midX, y: end.y)]
            route = index
        case .fromFork(let fork, let index):
            // Down from the fork to a line above the row, along it to the cluster's top anchor.
            let start = blocks.nodes[fork].frame
            let busY = start.maxY + LayoutMetrics.gap / 2
            let anchorX = lines[index].first?.x ?? start.midX
            points = [Point(x: start.midX, y: start.maxY), Point(x: start.midX, y: busY), Point(x: anchorX, y: busY)] + lines[index]
            route = index
        case .direct(let from, let to):
            let start = blocks.nodes[from].frame, end = blocks.nodes[to].frame
            points = [Point(x: start.midX, y: start.maxY), Point(x: end.midX, y: end.y)]
            route = nil
        }
        var isBack = false
        var label: PlanLayout.Label?
        if let route {
            if case .back = routes[route].kind { isBack = true }
            label = self.label(of: route, lines: lines, on: blocks)
        }
        return PlanLayout.RoutedEdge(edge: edge, points: Self.simplified(points), label: label, isBack: isBack)
    }

    /// Which end of which route a port is.
    private struct Port: Hashable {
        var route: Int
        var isOut: Bool
    }

    /// How far above or below the middle of its node each lane route leaves and arrives, so
    /// that routes sharing a side do not share a line; ordered so that they do not cross near
    /// the node.
    private func portOffsets(on blocks: LayoutBlocks) -> [Port: Double] {
        struct Side: Hashable {
            var stack: Int
            var position: Int
            var isRight: Bool
        }
        var sides: [Side: [(port: Port, lane: Int)]] = [:]
        for (index, route) in routes.enumerated() {
            switch route.kind {
            case .straight:
                continue
            case .forward(let lane), .back(let lane):
                let isRight = route.kind == .back(lane: lane)
                sides[Side(stack: route.stack, position: route.from, isRight: isRight), default: []].append((Port(route: index, isOut: true), lane))
                sides[Side(stack: route.stack, position: route.to, isRight: isRight), default: []].append((Port(route: index, isOut: false), lane))
            }
        }
        var offsets: [Port: Double] = [:]
        for (side, ports) in sides {
            // Left (down): arrivals above departures, inner lanes nearer the middle. Right
            // (up): departures above arrivals, likewise.
            let ordered = ports.sorted { first, second in
                func key(_ entry: (port: Port, lane: Int)) -> (Int, Int, Int) {
                    let departsFirst = side.isRight ? entry.port.isOut : !entry.port.isOut
                    let towardsMiddle = departsFirst ? entry.lane : -entry.lane
                    return (departsFirst ? 0 : 1, towardsMiddle, entry.port.route)
                }
                return key(first) < key(second)
            }
            let height = blocks.endpoint(stack: side.stack, position: side.position).frame.height
            let spacing = ordered.count > 1 ? min(10, max(0, height - 16) / Double(ordered.count - 1)) : 0
            for (rank, entry) in ordered.enumerated() {
                offsets[entry.port] = (Double(rank) - Double(ordered.count - 1) / 2) * spacing
            }
        }
        return offsets
    }

    private func polyline(of index: Int, offsets: [Port: Double], on blocks: LayoutBlocks) -> [Point] {
        let route = routes[index]
        let source = blocks.endpoint(stack: route.stack, position: route.from)
        let target = blocks.endpoint(stack: route.stack, position: route.to)
        guard route.kind != .straight else {
            return [Point(x: source.frame.midX, y: source.frame.maxY), Point(x: target.frame.midX, y: target.frame.y)]
        }
        let isRight = if case .back = route.kind { true } else { false }
        let laneX = laneX(of: route, on: blocks)
        let start = source.side(at: offsets[Port(route: index, isOut: true)] ?? 0, right: isRight)
        let end = target.side(at: offsets[Port(route: index, isOut: false)] ?? 0, right: isRight)
        return [start, Point(x: laneX, y: start.y), Point(x: laneX, y: end.y), end]
    }

    private func laneX(of route: Route, on blocks: LayoutBlocks) -> Double {
        let stack = blocks.stacks[route.stack]
        return stack.centerX + lanes[route.stack].offset(of: route.kind, content: stack.content)
    }

    /// A straight edge's label right of its line, mid-gap; a lane's inside the lane, at the
    /// first height along its line that no route's horizontal part crosses.
    private func label(of index: Int, lines: [[Point]], on blocks: LayoutBlocks) -> PlanLayout.Label? {
        let route = routes[index]
        guard let text = route.label else { return nil }
        let line = lines[index]
        guard route.kind != .straight else {
            return PlanLayout.Label(text: text, at: Point(x: line[0].x + 6, y: (line[0].y + line[1].y) / 2 + 4))
        }
        let isRight = if case .back = route.kind { true } else { false }
        let width = LayoutMetrics.labelWidth(text)
        let startX = isRight ? line[1].x - 4 - width : line[1].x + 4
        let crossings = routes.indices.filter { routes[$0].stack == route.stack && routes[$0].kind != .straight }.flatMap { other in
            [(lines[other][0], lines[other][1]), (lines[other][2], lines[other][3])]
        }
        func isClear(_ baseline: Double) -> Bool {
            !crossings.contains { segment in
                let (a, b) = segment
                return a.y > baseline - 13 && a.y < baseline + 5 && min(a.x, b.x) < startX + width && max(a.x, b.x) > startX
            }
        }
        // Tried from the source's end of the lane, so the label reads as the source's; when
        // nothing fits (a step looping to itself), it sits on the line leaving the source.
        let source = line[1].y, target = line[2].y
        let tries = source < target ? Array(stride(from: source + 16, through: target - 6, by: 2)) : Array(stride(from: source - 6, through: target + 16, by: -2))
        let baseline = tries.first(where: isClear) ?? source - 4
        return PlanLayout.Label(text: text, at: Point(x: isRight ? line[1].x - 4 : startX, y: baseline), alignsEnd: isRight)
    }

    /// `points` without repeats and without middle points of straight runs.
    static func simplified(_ points: [Point]) -> [Point] {
        var kept: [Point] = []
        for point in points where kept.last != point {
            if kept.count >= 2 {
                let a = kept[kept.count - 2], b = kept[kept.count - 1]
                if (a.x == b.x && b.x == point.x) || (a.y == b.y && b.y == point.y) { kept.removeLast() }
            }
            kept.append(point)
        }
        return kept
    }
}
