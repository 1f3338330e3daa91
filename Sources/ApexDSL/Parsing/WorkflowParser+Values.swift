/// Readers for the value kinds of the DSL; each reports what is wrong and returns nil.
extension WorkflowParser {
    /// The pairs of a mapping by key, after reporting a non-mapping node and unknown keys.
    ///
    /// With `allowsExtensions`, keys starting with `x-` are accepted and ignored: a place to
    /// keep YAML anchors for reuse, as in Docker Compose.
    mutating func mapping(_ node: YAMLNode, what: String, allowed: [String], allowsExtensions: Bool = false) -> [String: YAMLPair]? {
        guard let pairs = node.pairs else {
            diagnostics.error(.typeMismatch, "\(what) must be a mapping, not \(node.kindDescription)", at: node.range)
            return nil
        }
        var keys: [String: YAMLPair] = [:]
        for pair in pairs {
            guard let name = pair.name else {
                diagnostics.error(.typeMismatch, "keys must be plain strings, not \(pair.key.kindDescription)", at: pair.key.range)
                continue
            }
            if allowsExtensions, name.hasPrefix("x-") { continue }
            guard allowed.contains(name) else {
                diagnostics.error(.unknownKey, "unknown key \"\(name)\" in \(what)\(Suggestion.didYouMean(name, in: allowed))", at: pair.key.range)
                continue
            }
            keys[name] = pair
        }
        return keys
    }

    /// A string scalar (quoted or plain text that YAML does not type as a number, bool or null).
    mutating func string(_ node: YAMLNode, key: String) -> Located<String>? {
        guard let scalar = node.scalar, case .string(let value) = scalar.resolved else {
            diagnostics.error(.typeMismatch, "\"\(key)\" must be a string, not \(node.kindDescription)", at: node.range)
            return nil
        }
        return Located(value, at: node.range)
    }

    /// Free text (`version`, `description`, `name`). Numbers must be quoted (`version: "1.10"`),
    /// since YAML would read `1.10` as the number 1.1.
    mutating func text(_ node: YAMLNode, key: String) -> String? {
        guard let scalar = node.scalar, case .string(let value) = scalar.resolved else {
            let hint = node.scalar != nil ? "; quote it: \(key): \"\(node.scalar?.value ?? "")\"" : ""
            diagnostics.error(.typeMismatch, "\"\(key)\" must be text, not \(node.kindDescription)\(hint)", at: node.range)
            return nil
        }
        return value
    }

    mutating func integer(_ node: YAMLNode, key: String, minimum: Int) -> Located<Int>? {
        guard case .int(let value) = node.scalar?.resolved else {
            diagnostics.error(.typeMismatch, "\"\(key)\" must be an integer, not \(node.kindDescription)", at: node.range)
            return nil
        }
        guard value >= minimum else {
            diagnostics.error(.invalidValue, "\"\(key)\" must be at least \(minimum), not \(value)", at: node.range)
            return nil
        }
        return Located(value, at: node.range)
    }

    mutating func number(_ node: YAMLNode, key: String, in bounds: ClosedRange<Double>) -> Double? {
        guard let value = node.scalar?.resolved.numberValue, value.isFinite else {
            diagnostics.error(.typeMismatch, "\"\(key)\" must be a number, not \(node.kindDescription)", at: node.range)
            return nil
        }
        guard bounds.contains(value) else {
            let upper = bounds.upperBound == .greatestFiniteMagnitude ? "" : " and at most \(JSONValue.render(double: bounds.upperBound))"
            diagnostics.error(.invalidValue, "\"\(key)\" must be at least \(JSONValue.render(double: bounds.lowerBound))\(upper), not \(JSONValue.render(double: value))", at: node.range)
            return nil
        }
        return value
    }

    mutating func duration(_ node: YAMLNode, key: String) -> Located<Duration>? {
        guard let scalar = node.scalar else {
            diagnostics.error(.typeMismatch, "\"\(key)\" must be a duration such as \"30s\" or \"1h30m\", not \(node.kindDescription)", at: node.range)
            return nil
        }
        if case .int(let seconds) = scalar.resolved {
            diagnostics.error(.duration, "\"\(key)\" needs a unit: write \"\(seconds)s\" for \(seconds) seconds", at: node.range)
            return nil
        }
        do {
            return Located(try Duration.parse(scalar.value), at: node.range)
        } catch .notPositive {
            diagnostics.error(.duration, "\"\(key)\" must be longer than zero, not \"\(scalar.value)\"", at: node.range)
        } catch .tooLong {
            diagnostics.error(.duration, "\"\(key)\" is longer than the 100 years a duration may be", at: node.range)
        } catch {
            diagnostics.error(.duration, "\"\(scalar.value)\" is not a duration; write e.g. \"500ms\", \"90s\", \"15m\", \"1h30m\", \"2d\" or ISO 8601 \"PT1H\"", at: node.range)
        }
        return nil
    }

    /// Any value; strings are parsed for `${{ }}` expressions.
    mutating func template(_ node: YAMLNode) -> TemplateValue {
        switch node.kind {
        case .scalar(let scalar):
            guard case .string(let text) = scalar.resolved, text.contains("${{") else {
                return .literal(scalar.resolved, node.range)
            }
            let locator = ExpressionLocator(string: text, range: node.range, source: source)
            do {
                return .template(try Template.parse(text), locator)
            } catch {
                diagnostics.error(.expressionSyntax, "invalid expression: \(error.message)", at: locator.fileRange(error.range))
                return .literal(scalar.resolved, node.range)
            }
        case .sequence(let items):
            return .array(items.map { template($0) }, node.range)
        case .mapping(let pairs):
            return .object(pairs.map { (key: $0.name ?? "", value: template($0.value)) }, node.range)
        }
    }

    /// A string that is exactly one expression or a plain value of the expected kind.
    mutating func scalarTemplate(_ node: YAMLNode, key: String) -> TemplateValue? {
        guard node.scalar != nil else {
            diagnostics.error(.typeMismatch, "\"\(key)\" must be a single value or an expression, not \(node.kindDescription)", at: node.range)
            return nil
        }
        return template(node)
    }

    /// `name: value` pairs of `vars` and `set`.
    mutating func assignments(_ node: YAMLNode, what: String) -> [Assignment] {
        guard let pairs = node.pairs else {
            diagnostics.error(.typeMismatch, "\(what) must be a mapping of names to values, not \(node.kindDescription)", at: node.range)
            return []
        }
        var result: [Assignment] = []
        for pair in pairs {
            guard let name = pair.name else { continue }
            if !Identifiers.isStepID(name) {
                diagnostics.error(.invalidValue, "variable name \"\(name)\" must match ^[a-z_][a-z0-9_]{0,62}$", at: pair.key.range)
            }
            result.append(Assignment(name: Located(name, at: pair.key.range), value: template(pair.value)))
        }
        return result
    }

    /// A list of strings (error types, stop sequences).
    mutating func stringList(_ node: YAMLNode, key: String) -> [Located<String>] {
        guard let items = node.items else {
            diagnostics.error(.typeMismatch, "\"\(key)\" must be a list of strings, not \(node.kindDescription)", at: node.range)
            return []
        }
        return items.compactMap { string($0, key: key) }
    }
}
