extension WorkflowParser {
    static let stepKeys = ["id", "name", "description", "if", "next", "retry", "timeout", "catch"] + Action.keys

    /// A non-empty list of steps (`steps:`, a parallel branch, a foreach body).
    mutating func stepList(_ node: YAMLNode, what: String) -> [Step] {
        guard let items = node.items else {
            diagnostics.error(.typeMismatch, "\(what) must be a list of steps, not \(node.kindDescription)", at: node.range)
            return []
        }
        if items.isEmpty {
            diagnostics.error(.invalidValue, "\(what) must hold at least one step", at: node.range)
        }
        var steps: [Step] = []
        steps.reserveCapacity(items.count)
        for item in items {
            stepCount += 1
            if let step = step(item) { steps.append(step) }
        }
        return steps
    }

    private mutating func step(_ node: YAMLNode) -> Step? {
        guard let keys = mapping(node, what: "a step", allowed: Self.stepKeys) else { return nil }
        let id = stepID(keys["id"], in: node)
        let actionPairs = Action.keys.compactMap { keys[$0] }
        var action = Action.invalid
        var actionRange = keyAnchor(node)
        switch actionPairs.count {
        case 0:
            diagnostics.error(.stepAction, "step \"\(id.value)\" has no action; give it one of: \(Action.keys.joined(separator: ", "))", at: id.range)
        case 1:
            actionRange = actionPairs[0].key.range
            action = self.action(actionPairs[0], stepID: id.value)
        default:
            let names = actionPairs.map { "\"\($0.name ?? "")\"" }.joined(separator: ", ")
            diagnostics.error(.stepAction, "step \"\(id.value)\" has \(actionPairs.count) actions (\(names)); a step does exactly one thing: split it into several steps", at: actionPairs[1].key.range)
            actionRange = actionPairs[0].key.range
            action = self.action(actionPairs[0], stepID: id.value)
        }
        var step = Step(id: id, action: action, actionRange: actionRange, range: node.range)
        step.keyRanges = keys.mapValues(\.key.range)
        step.name = keys["name"].flatMap { text($0.value, key: "name") }
        step.description = keys["description"].flatMap { text($0.value, key: "description") }
        step.condition = keys["if"].flatMap { scalarTemplate($0.value, key: "if") }
        step.next = keys["next"].flatMap { string($0.value, key: "next") }
        step.retry = keys["retry"].flatMap { retryPolicy($0.value) }
        step.timeout = keys["timeout"].flatMap { duration($0.value, key: "timeout") }
        step.catchHandlers = keys["catch"].map { catchHandlers($0.value) } ?? []
        return step
    }

    private mutating func stepID(_ pair: YAMLPair?, in node: YAMLNode) -> Located<String> {
        guard let pair else {
            diagnostics.error(.stepID, "step has no \"id\"; every step needs a unique id such as `id: classify`", at: keyAnchor(node))
            return Located("", at: keyAnchor(node))
        }
        guard let id = string(pair.value, key: "id") else { return Located("", at: pair.value.range) }
        if id.value == "end" {
            diagnostics.error(.stepID, "\"end\" is reserved (`next: end` ends a list); choose another step id", at: id.range)
        } else if !Identifiers.isStepID(id.value) {
            let hint = id.value.contains("-") ? "; use '_' instead of '-'" : ""
            diagnostics.error(.stepID, "step id \"\(id.value)\" must match ^[a-z_][a-z0-9_]{0,62}$\(hint)", at: id.range)
        }
        return id
    }

    private mutating func catchHandlers(_ node: YAMLNode) -> [CatchHandler] {
        guard let items = node.items else {
            diagnostics.error(.typeMismatch, "\"catch\" must be a list of handlers like `{errors: [timeout], next: step}`, not \(node.kindDescription)", at: node.range)
            return []
        }
        return items.compactMap { item in
            guard let keys = mapping(item, what: "a catch handler", allowed: ["errors", "next"]) else { return nil }
            guard let next = keys["next"].flatMap({ string($0.value, key: "next") }) else {
                if keys["next"] == nil { diagnostics.error(.missingKey, "a catch handler needs \"next\": the step to go to", at: keyAnchor(item)) }
                return nil
            }
            guard let errorsPair = keys["errors"] else {
                diagnostics.error(.missingKey, "a catch handler needs \"errors\": a list of error types, or [\"*\"] for any", at: keyAnchor(item))
                return nil
            }
            let errors = stringList(errorsPair.value, key: "errors")
            for error in errors where !ErrorPattern.isValid(error.value) {
                diagnostics.error(.catchErrors, "\"\(error.value)\" is not an error type or pattern; write a type (`timeout`, `llm.rate_limited`), a prefix (`llm.*`) or \"*\"", at: error.range)
            }
            return CatchHandler(errors: errors, next: next, range: item.range)
        }
    }
}
