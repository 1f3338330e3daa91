extension WorkflowParser {
    mutating func switchAction(_ node: YAMLNode) -> SwitchAction? {
        guard let items = node.items else {
            diagnostics.error(.switchShape, "`switch` must be a list of cases `{when: expression, next: step}` and a last `{default: step}`, not \(node.kindDescription)", at: node.range)
            return nil
        }
        var action = SwitchAction()
        for (index, item) in items.enumerated() {
            guard let keys = mapping(item, what: "a switch case", allowed: ["when", "next", "default"]) else { continue }
            if let target = keys["default"] {
                if keys["when"] != nil || keys["next"] != nil {
                    diagnostics.error(.switchShape, "a `default` case stands alone: `- default: step`", at: target.key.range)
                }
                if action.defaultTarget != nil {
                    diagnostics.error(.switchShape, "`switch` has more than one `default`", at: target.key.range)
                } else if index != items.count - 1 {
                    diagnostics.error(.switchShape, "`default` must be the last case of a switch: the cases after it would never be tried", at: target.key.range)
                }
                action.defaultTarget = string(target.value, key: "default")
                continue
            }
            guard let when = keys["when"], let next = keys["next"] else {
                let missing = keys["when"] == nil ? "when" : "next"
                diagnostics.error(.switchShape, "a switch case needs \"when\" and \"next\" (missing \"\(missing)\")", at: .at(item.range.start, length: 1))
                continue
            }
            guard let condition = scalarTemplate(when.value, key: "when"), let target = string(next.value, key: "next") else { continue }
            action.cases.append(SwitchCase(condition: condition, next: target))
        }
        if items.isEmpty {
            diagnostics.error(.switchShape, "`switch` needs at least one case", at: node.range)
        }
        return action
    }

    mutating func parallel(_ node: YAMLNode) -> ParallelAction? {
        guard let pairs = node.pairs else {
            diagnostics.error(.typeMismatch, "`parallel` must be a mapping of branch names to lists of steps, not \(node.kindDescription)", at: node.range)
            return nil
        }
        if pairs.isEmpty { diagnostics.error(.invalidValue, "`parallel` needs at least one branch", at: node.range) }
        var branches: [Branch] = []
        for pair in pairs {
            guard let name = pair.name else { continue }
            if !Identifiers.isStepID(name) {
                diagnostics.error(.invalidValue, "branch name \"\(name)\" must match ^[a-z_][a-z0-9_]{0,62}$", at: pair.key.range)
            }
            branches.append(Branch(name: Located(name, at: pair.key.range), steps: stepList(pair.value, what: "branch \"\(name)\"")))
        }
        return ParallelAction(branches: branches)
    }

    mutating func foreach(_ node: YAMLNode) -> ForEachAction? {
        guard let keys = mapping(node, what: "`foreach`", allowed: ["in", "as", "concurrency", "steps"]) else { return nil }
        var action = ForEachAction(steps: [])
        if let items = keys["in"] {
            action.items = template(items.value)
        } else {
            diagnostics.error(.missingKey, "`foreach` needs \"in\": the list to iterate over", at: pairAnchor(node))
        }
        if let name = keys["as"].flatMap({ string($0.value, key: "as") }) {
            if !Identifiers.isStepID(name.value) || Self.reservedNames.contains(name.value) {
                diagnostics.error(.invalidValue, "\"as\" must be a name matching ^[a-z_][a-z0-9_]{0,62}$ that is not a context (\(Self.reservedNames.joined(separator: ", ")))", at: name.range)
            } else {
                action.elementName = name
            }
        }
        if let concurrency = keys["concurrency"] {
            if concurrency.value.scalar?.value.contains("${{") == true {
                action.concurrency = template(concurrency.value)
            } else if let count = integer(concurrency.value, key: "concurrency", minimum: 1) {
                action.concurrency = .literal(.int(count.value), count.range)
            }
        }
        if let steps = keys["steps"] {
            action.steps = stepList(steps.value, what: "`foreach.steps`")
        } else {
            diagnostics.error(.missingKey, "`foreach` needs \"steps\": the steps to run for each element", at: pairAnchor(node))
        }
        return action
    }

    /// Names a foreach element may not take, because expressions already use them.
    static let reservedNames = ["input", "vars", "steps", "run", "secrets", "args", "index"]
}
