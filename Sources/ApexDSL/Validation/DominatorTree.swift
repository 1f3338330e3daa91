/// The dominator tree of a ``StepGraph``, numbered by one depth-first walk so that "does `a`
/// dominate `b`" takes constant time: it does when `b`'s visit lies within `a`'s.
///
/// Walking `b`'s chain of immediate dominators (``StepGraph/dominates(_:_:idom:)``) costs the
/// depth of the tree, which in a 10,000-step list is up to 10,000 for each of its expressions.
struct DominatorTree {
    /// When each node's visit starts and ends; -1 for nodes that are not in the tree
    /// (unreachable ones).
    private var entry: [Int]
    private var exit: [Int]

    /// The tree of `idom`, the immediate dominators of a graph whose first node is its root.
    init(idom: [Int?]) {
        var children = [[Int]](repeating: [], count: idom.count)
        for (node, parent) in idom.enumerated() {
            if let parent, parent != node { children[parent].append(node) }
        }
        entry = [Int](repeating: -1, count: idom.count)
        exit = entry
        guard !idom.isEmpty else { return }
        var clock = 0
        var stack: [(node: Int, nextChild: Int)] = [(0, 0)]
        entry[0] = clock
        while let top = stack.last {
            clock += 1
            if top.nextChild < children[top.node].count {
                stack[stack.count - 1].nextChild += 1
                let child = children[top.node][top.nextChild]
                entry[child] = clock
                stack.append((child, 0))
            } else {
                exit[top.node] = clock
                stack.removeLast()
            }
        }
    }

    /// Whether every path from the root to `b` passes through `a` (`a` dominates itself).
    func dominates(_ a: Int, _ b: Int) -> Bool {
        if a == b { return true }
        guard entry[a] >= 0, entry[b] >= 0 else { return false }
        return entry[a] < entry[b] && exit[b] < exit[a]
    }
}
