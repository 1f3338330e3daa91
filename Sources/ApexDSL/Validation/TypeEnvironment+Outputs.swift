import OrderedCollections

/// The outputs of steps, as `steps.<id>` reads them, from what a round of ``TypeEnvironment``
/// worked out.
extension TypeEnvironment {
    /// Sets `vars` and `steps` from these variables and `set` outputs.
    mutating func update(variables: OrderedDictionary<String, ValueShape>, setOutputs: [Int: OrderedDictionary<String, ValueShape>]) {
        contexts["vars"] = .object(variables, closed: true)
        var outputs = [ValueShape](repeating: .unknown, count: index.entries.count)
        // Nested lists come after their owner in the index, so their outputs are known first.
        for entry in index.entries.indices.reversed() {
            if let constant = constantOutputs[entry] {
                outputs[entry] = constant
                continue
            }
            switch index.entries[entry].step.action {
            case .set: outputs[entry] = .object(setOutputs[entry] ?? [:], closed: true)
            case .parallel:
                let branches = ownedLists[entry] ?? []
                outputs[entry] = .object(OrderedDictionary(branches.map { (index.lists[$0].branch ?? "", lastOutput(of: $0, outputs)) },
                                                           uniquingKeysWith: { first, _ in first }), closed: true)
            case .foreach:
                let body = ownedLists[entry]?.first
                outputs[entry] = .list(body.map { lastOutput(of: $0, outputs) } ?? .unknown)
            default: break
            }
        }
        var steps = stepIDs
        for (position, entry) in stepEntries.enumerated() { steps.values[position] = .result(output: outputs[entry]) }
        // Open: an unknown step id is `unknown-step`'s to report.
        contexts["steps"] = .object(steps, closed: false)
    }

    /// What a list collects for its `parallel` or `foreach`: the output of the last step that
    /// completed in it (a skipped step, or a failed one whose `catch` moved on, leaves the one
    /// before). That is the output of a step that may go to the end of the list, directly or
    /// through steps that may not complete (those with an `if` or a `catch`).
    private func lastOutput(of list: Int, _ outputs: [ValueShape]) -> ValueShape {
        let graph = graphs[list]
        let entries = index.lists[list].entries
        // The nodes from which the end is reached through steps that may not complete.
        var passing = Set([graph.end])
        var changed = true
        while changed {
            changed = false
            // Backwards, so that a chain of such steps is found in one pass.
            for (position, entry) in entries.enumerated().reversed() where !passing.contains(position) {
                let step = index.entries[entry].step
                guard step.condition != nil || !step.catchHandlers.isEmpty else { continue }
                if graph.successors[position].contains(where: passing.contains) {
                    passing.insert(position)
                    changed = true
                }
            }
        }
        let last = entries.indices.filter { graph.successors[$0].contains(where: passing.contains) }
        guard let first = last.first else { return .unknown }
        return last.dropFirst().reduce(outputs[entries[first]]) { $0.or(outputs[entries[$1]]) }
    }
}

extension TemplateValue {
    /// The shape of the value, with the expressions in it typed from `roots`: a string that is
    /// exactly one expression has that expression's shape; any other with expressions is text.
    func shape(roots: [String: ValueShape]) -> ValueShape {
        switch self {
        case .literal(let value, _):
            return ValueShape(value)
        case .template(let template, _):
            guard template.isSingleExpression, let expression = template.expressions.first else { return .string }
            return ExpressionTyper(roots: roots).shape(of: expression)
        case .array(let items, _):
            return .list(items.reduce(ValueShape.never) { $0.or($1.shape(roots: roots)) })
        case .object(let members, _):
            return .object(OrderedDictionary(members.map { ($0.key, $0.value.shape(roots: roots)) }, uniquingKeysWith: { first, _ in first }), closed: true)
        }
    }
}
