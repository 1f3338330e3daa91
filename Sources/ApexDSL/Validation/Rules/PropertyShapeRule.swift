import OrderedCollections

/// `unknown-property`: where the shape of a value is known (the `input` schema, an llm or agent
/// `schema`, a `wait` schema, a tool's `input` for `args`, `set` and `vars`, the fixed outputs
/// of steps, `run`), a property that cannot exist is an error (closed object, or a path through
/// a non-object) and one that is merely undeclared is a warning with a did-you-mean.
enum PropertyShapeRule: ValidationRule {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        var variables: OrderedDictionary<String, ValueShape> = [:]
        for variable in context.workflow.vars { variables[variable.name.value] = .unknown }
        for entry in context.index.entries {
            if case .set(let assignments) = entry.step.action {
                for assignment in assignments { variables[assignment.name.value] = .unknown }
            }
        }
        let roots: [String: ValueShape] = [
            "input": context.workflow.input.map(ValueShape.schema) ?? .unknown,
            "vars": .object(variables, closed: true),
            "run": .run,
        ]
        for site in context.expressions {
            for path in site.expression.accessPaths {
                var components = path.components[...]
                var described = path.root
                var shape: ValueShape
                if path.root == "steps" {
                    guard case .name(let id)? = components.first?.kind, let entry = context.index.byID[id] else { continue }
                    shape = .result(of: context.index.entries[entry].step)
                    described += ".\(id)"
                    components = components.dropFirst()
                } else if site.loopNames.contains(path.root) {
                    continue
                } else if path.root == "args" {
                    guard let args = site.args else { continue }
                    shape = args
                } else {
                    guard let root = roots[path.root] else { continue }
                    shape = root
                }
                walk(&shape, components: components, described: described, site: site, into: &diagnostics)
            }
        }
    }

    private static func walk(_ shape: inout ValueShape, components: ArraySlice<AccessPath.Component>, described: String, site: ExpressionSite, into diagnostics: inout DiagnosticBag) {
        var described = described
        for component in components {
            let range = site.fileRange(component.nameRange)
            switch (component.kind, shape) {
            case (_, .unknown), (.dynamic, _), (.projection, _):
                return
            case (_, .null(let reason)):
                diagnostics.error(.unknownProperty, "`\(described)` is always null: \(reason)", at: range)
                return
            case (.name(let name), .scalar(let kind)):
                diagnostics.error(.unknownProperty, "`\(described)` is \(kind); it has no property \"\(name)\"", at: range)
                return
            case (.name(let name), .list):
                diagnostics.error(.unknownProperty, "`\(described)` is a list; it has no property \"\(name)\" (use [index], or .*.\(name) for every element)", at: range)
                return
            case (.name(let name), .object(let fields, let closed)):
                guard let field = fields[name] else {
                    report(name, described: described, candidates: fields.keys, closed: closed, at: range, into: &diagnostics)
                    return
                }
                shape = field
                described += ".\(name)"
            case (.name(let name), .schema(let schema)):
                switch schema.lookupProperty(name) {
                case .known(let property):
                    shape = property.map(ValueShape.schema) ?? .unknown
                case .absentClosed:
                    report(name, described: described, candidates: schema.properties.keys, closed: true, at: range, into: &diagnostics)
                    return
                case .absentOpen(let candidates):
                    report(name, described: described, candidates: candidates, closed: false, at: range, into: &diagnostics)
                    return
                case .notAnObject(let kind):
                    diagnostics.error(.unknownProperty, "`\(described)` is \(kind); it has no property \"\(name)\"", at: range)
                    return
                }
                described += ".\(name)"
            case (.index(let position), .list(let element)):
                shape = element
                described += "[\(position)]"
            case (.index(let position), .schema(let schema)):
                guard let items = schema.itemSchema else { return }
                shape = .schema(items)
                described += "[\(position)]"
            case (.index, _):
                return
            }
        }
    }

    /// Reports a property that is not there; the message (a did-you-mean over the candidates, or
    /// else the names there are) is built only when the diagnostic is kept.
    private static func report(
        _ name: String, described: String, candidates: some Sequence<String>, closed: Bool, at range: SourceRange,
        into diagnostics: inout DiagnosticBag
    ) {
        if closed {
            diagnostics.error(.unknownProperty, "`\(described)` has no property \"\(name)\"\(hint(for: name, in: candidates))", at: range)
        } else {
            diagnostics.warning(.unknownProperty, "`\(described)` does not declare a property \"\(name)\"\(Suggestion.didYouMean(name, in: candidates))", at: range)
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

extension AccessPath.Component {
    /// The range of a `.name` accessor without its dot, so that the caret starts at the name.
    var nameRange: Range<Int> {
        if case .name(let name) = kind, range.count == name.unicodeScalars.count + 1 {
            return range.lowerBound + 1..<range.upperBound
        }
        return range
    }
}
