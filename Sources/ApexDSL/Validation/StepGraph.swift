/// The control flow inside one list of steps: which step can follow which.
///
/// Nodes are the list's positions `0..<count` and `count` for the end of the list. A step goes
/// to its `next` (or the following step, or the end), to every `switch` target (and its own
/// `next` when the switch has no `default`), and to every `catch` target; a `fail` step only to
/// its catch targets. Targets that do not resolve inside the list are ignored (a rule reports them).
public struct StepGraph: Sendable {
    public let count: Int
    public var end: Int { count }
    /// Successors of each node (`count + 1` of them); the end node has none.
    public let successors: [[Int]]

    public init(steps: [Step]) {
        count = steps.count
        var positions: [String: Int] = [:]
        for (position, step) in steps.enumerated() where positions[step.id.value] == nil {
            positions[step.id.value] = position
        }
        func resolve(_ target: String) -> Int? {
            target == "end" ? steps.count : positions[target]
        }
        successors = steps.enumerated().map { position, step in
            let following = step.next.map { resolve($0.value) } ?? position + 1
            var targets: [Int?] = []
            switch step.action {
            case .switch(let action):
                targets += action.cases.map { resolve($0.next.value) }
                targets.append(action.defaultTarget.map { resolve($0.value) } ?? following)
            case .fail:
                break
            default:
                targets.append(following)
            }
            targets += step.catchHandlers.map { resolve($0.next.value) }
            var seen = Set<Int>()
            return targets.compactMap { $0 }.filter { seen.insert($0).inserted }
        } + [[]]
    }

    /// Nodes reachable from the first step.
    public func reachable() -> [Bool] {
        var seen = [Bool](repeating: false, count: count + 1)
        guard count > 0 else { return seen }
        var stack = [0]
        seen[0] = true
        while let node = stack.popLast() {
            for next in successors[node] where !seen[next] {
                seen[next] = true
                stack.append(next)
            }
        }
        return seen
    }
}
