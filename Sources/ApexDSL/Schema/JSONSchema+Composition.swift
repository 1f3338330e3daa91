extension JSONSchema {
    /// `allOf`: every branch must hold, so each branch's violations are the value's own.
    /// `anyOf`/`oneOf`: at least/exactly one branch must hold; a failure is explained by the one
    /// branch whose type fits the value when there is one, else by a summary of the branches.
    func checkComposition(_ value: JSONValue, at path: String, into violations: inout [SchemaViolation]) {
        for branch in allOf {
            branch.check(value, at: path, into: &violations)
        }
        if !anyOf.isEmpty { checkAlternatives(anyOf, keyword: "anyOf", value, at: path, into: &violations) }
        if !oneOf.isEmpty { checkAlternatives(oneOf, keyword: "oneOf", value, at: path, into: &violations) }
    }

    private func checkAlternatives(
        _ branches: [JSONSchema], keyword: String, _ value: JSONValue, at path: String,
        into violations: inout [SchemaViolation]
    ) {
        let exactlyOne = keyword == "oneOf"
        let results = branches.map { $0.violations(of: value, at: path) }
        let matching = results.indices.filter { results[$0].isEmpty }
        if matching.count == 1 || (!exactlyOne && !matching.isEmpty) { return }
        if matching.count > 1 {
            let which = matching.map { "#\($0 + 1)" }.joined(separator: ", ")
            violations.append(SchemaViolation(path: path, message: "must match exactly one of the alternatives of `oneOf`, but matches \(which)"))
            return
        }
        let fitting = branches.indices.filter { branches[$0].typeFits(value) }
        if fitting.count == 1 {
            violations += results[fitting[0]]
            return
        }
        if fitting.isEmpty, branches.allSatisfy({ $0.types != nil }) {
            var union: [JSONType] = []
            for type in branches.flatMap({ $0.types ?? [] }) where !union.contains(type) { union.append(type) }
            let message = "must be \(JSONType.phrase(union)), not \(JSONType.phrase(of: value, expecting: union))"
            violations.append(SchemaViolation(path: path, message: message))
            return
        }
        let shown = fitting.isEmpty ? Array(branches.indices) : fitting
        let summary = shown.map { "#\($0 + 1): " + Self.summary(of: results[$0], at: path) }.joined(separator: "; ")
        let quantity = exactlyOne ? "exactly one" : "at least one"
        violations.append(SchemaViolation(path: path, message: "must match \(quantity) of the alternatives of `\(keyword)`: \(summary)"))
    }

    /// Whether the value's type is one the schema's `type` allows (true when it has none).
    private func typeFits(_ value: JSONValue) -> Bool {
        guard let types else { return true }
        return types.contains { $0.admits(value) }
    }

    /// A branch's first violations in a few words: messages at the value itself bare, deeper
    /// ones with their path.
    private static func summary(of violations: [SchemaViolation], at path: String) -> String {
        var parts = violations.prefix(2).map { $0.path == path ? $0.message : $0.description }
        if violations.count > 2 { parts.append("…") }
        return parts.joined(separator: ", ")
    }
}
