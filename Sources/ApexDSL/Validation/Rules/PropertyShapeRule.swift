/// `unknown-property`: where the shape of a value is known (the `input` schema, an llm or agent
/// `schema`, a `wait` schema, a tool's `input` for `args`, the values of `set` and `vars`, a
/// child workflow's `output`, the fixed outputs of steps, `run`, and what flows from them through
/// operators, functions and foreach elements), a property that cannot exist is an error (a
/// closed object, or a value that is never an object) and one that is merely undeclared is a
/// warning with a did-you-mean.
enum PropertyShapeRule: ValidationRule {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        context.forEachTypedNode { site, node in
            guard case .member(let base, let name) = node.expression.kind else { return }
            // `steps.<id>` with an unknown id is `unknown-step`'s.
            if case .context("steps") = base.kind { return }
            let range = site.fileRange(node.expression.accessorRange)
            let described = base.subject
            switch node.operands[0].shape.property(name) {
            case .found:
                break
            case .alwaysNull(let reason):
                diagnostics.error(.unknownProperty, "\(described) is always null: \(reason)", at: range)
            case .notAnObject("a list"):
                diagnostics.error(.unknownProperty, "\(described) is a list; it has no property \"\(name)\" (use [index], or .*.\(name) for every element)", at: range)
            case .notAnObject(let kind):
                diagnostics.error(.unknownProperty, "\(described) is \(kind); it has no property \"\(name)\"", at: range)
            case .absent(closed: true, let candidates):
                diagnostics.error(.unknownProperty, "\(described) has no property \"\(name)\"\(hint(for: name, in: candidates))", at: range)
            case .absent(closed: false, let candidates):
                diagnostics.warning(.unknownProperty, "\(described) does not declare a property \"\(name)\"\(Suggestion.didYouMean(name, in: candidates))", at: range)
            }
        }
    }

    /// The most property names that a message lists.
    static let listedNames = 20

    /// `; did you mean "x"?`, or else the names that exist: ` (it has: a, b, c)`, the first
    /// ``listedNames`` in sorted order and how many more.
    private static func hint(for name: String, in candidates: some Sequence<String>) -> String {
        let suggestion = Suggestion.didYouMean(name, in: candidates)
        guard suggestion.isEmpty else { return suggestion }
        var first: [String] = []
        var count = 0
        for candidate in candidates {
            count += 1
            if first.count == listedNames, let last = first.last, candidate >= last { continue }
            first.insert(candidate, at: first.firstIndex { $0 > candidate } ?? first.endIndex)
            if first.count > listedNames { first.removeLast() }
        }
        guard count > 0 else { return "" }
        let more = count > first.count ? ", and \(count - first.count) more" : ""
        return " (it has: \(first.joined(separator: ", "))\(more))"
    }
}
