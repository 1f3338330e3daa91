/// Answers "has step T certainly run by this point?" from the dominators of each list.
struct StepOrder {
    let context: ValidationContext

    /// Why `target` may not have run at `point`, or nil when it certainly has.
    func whyNotRun(_ target: Int, at point: ExpressionSite.Point) -> String? {
        let index = context.index
        // The chain of (list, node) from the reading point up to the top-level list.
        var readerChain: [(list: Int, node: Int)]
        switch point {
        case .start:
            return "it is read before any step runs"
        case .end:
            readerChain = [(0, context.graphs[0].end)]
        case .step(let entry):
            if entry == target { return "it is read by its own step" }
            readerChain = index.ancestry(of: entry).map { (index.entries[$0].list, index.entries[$0].position) }
        }
        let targetChain = index.ancestry(of: target)
        for (list, readerNode) in readerChain {
            guard let depth = targetChain.firstIndex(where: { index.entries[$0].list == list }) else { continue }
            let targetNode = index.entries[targetChain[depth]].position
            if targetNode == readerNode {
                return "it runs in another branch of the same `parallel` or `foreach`, at the same time"
            }
            guard context.dominators[list].dominates(targetNode, readerNode) else {
                return "not every path to this point passes through it"
            }
            // The target is nested below the step that dominates: it must run on every path of
            // each enclosing list, and not per element of a foreach.
            for inner in targetChain[..<depth] {
                let innerList = index.entries[inner].list
                if let owner = index.lists[innerList].owner, case .foreach = index.entries[owner].step.action {
                    return "it runs once per element inside foreach \"\(index.entries[owner].step.id.value)\"; read that step's output list instead"
                }
                let graph = context.graphs[innerList]
                if !context.dominators[innerList].dominates(index.entries[inner].position, graph.end) {
                    return "not every path through its branch passes through it"
                }
            }
            return nil
        }
        return "not every path to this point passes through it"
    }
}
