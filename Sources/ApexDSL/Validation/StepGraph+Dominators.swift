extension StepGraph {
    /// The immediate dominator of every node (the last node that every path from the first step
    /// to it passes through); nil for the first step and for unreachable nodes.
    ///
    /// Cooper, Harvey and Kennedy's iterative algorithm: near-linear on the reducible graphs
    /// that workflows make, so a 10,000-step list stays fast.
    public func immediateDominators() -> [Int?] {
        let nodeCount = count + 1
        guard count > 0 else { return [Int?](repeating: nil, count: nodeCount) }
        let order = reversePostorder()
        var orderIndex = [Int](repeating: -1, count: nodeCount)
        for (index, node) in order.enumerated() { orderIndex[node] = index }
        var predecessors = [[Int]](repeating: [], count: nodeCount)
        for node in order { for next in successors[node] { predecessors[next].append(node) } }

        var idom = [Int?](repeating: nil, count: nodeCount)
        idom[0] = 0
        var changed = true
        while changed {
            changed = false
            for node in order.dropFirst() {
                var candidate: Int?
                for predecessor in predecessors[node] where idom[predecessor] != nil {
                    candidate = candidate.map { intersect($0, predecessor, idom, orderIndex) } ?? predecessor
                }
                if let candidate, idom[node] != candidate {
                    idom[node] = candidate
                    changed = true
                }
            }
        }
        idom[0] = nil
        return idom
    }

    private func intersect(_ a: Int, _ b: Int, _ idom: [Int?], _ orderIndex: [Int]) -> Int {
        var a = a, b = b
        while a != b {
            while orderIndex[a] > orderIndex[b] { a = idom[a]! }
            while orderIndex[b] > orderIndex[a] { b = idom[b]! }
        }
        return a
    }

    /// Reachable nodes in reverse postorder of a depth-first walk from the first step.
    private func reversePostorder() -> [Int] {
        var visited = [Bool](repeating: false, count: count + 1)
        var postorder: [Int] = []
        var stack: [(node: Int, nextChild: Int)] = [(0, 0)]
        visited[0] = true
        while let top = stack.last {
            if top.nextChild < successors[top.node].count {
                stack[stack.count - 1].nextChild += 1
                let child = successors[top.node][top.nextChild]
                if !visited[child] {
                    visited[child] = true
                    stack.append((child, 0))
                }
            } else {
                postorder.append(top.node)
                stack.removeLast()
            }
        }
        return postorder.reversed()
    }

    /// Whether `a` dominates `b` (every path to `b` passes `a`), given `immediateDominators()`.
    public static func dominates(_ a: Int, _ b: Int, idom: [Int?]) -> Bool {
        var node: Int? = b
        while let current = node {
            if current == a { return true }
            node = idom[current]
        }
        return false
    }
}
