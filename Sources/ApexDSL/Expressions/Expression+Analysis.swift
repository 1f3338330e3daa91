extension Expression {
    /// Every access chain that starts at a context identifier, in source order, for static checks:
    /// `steps.classify.output.data['category']` gives the root `steps` and the components
    /// `.name("classify")`, `.name("output")`, `.name("data")`, `.name("category")`.
    ///
    /// `[0]` with an integer literal is `.index(0)` and `.*` is `.projection`; a chain stops at its
    /// first dynamic index with `.dynamic`. A bare context (`input`) is a path with no components.
    /// Paths inside index expressions, arguments and operands are listed too.
    public var accessPaths: [AccessPath] {
        var paths: [AccessPath] = []
        collectAccessPaths(into: &paths)
        return paths.sorted { $0.rootRange.lowerBound < $1.rootRange.lowerBound }
    }

    /// Every function call, in source order: its name, argument count and the range of the name.
    public var calls: [FunctionCall] {
        var calls: [FunctionCall] = []
        collectCalls(into: &calls)
        return calls.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    private func collectCalls(into calls: inout [FunctionCall]) {
        if case .call(let name, let arguments) = kind {
            let nameEnd = range.lowerBound + name.unicodeScalars.count
            calls.append(FunctionCall(name: name, argumentCount: arguments.count, range: range.lowerBound..<nameEnd))
        }
        for child in kind.children { child.collectCalls(into: &calls) }
    }

    private func collectAccessPaths(into paths: inout [AccessPath]) {
        guard kind.isAccess || isContext else {
            for child in kind.children { child.collectAccessPaths(into: &paths) }
            return
        }
        // Walk down to the start of the chain, remembering its accessors from the outside in.
        var chain: [Expression] = []
        var node = self
        while node.kind.isAccess {
            chain.append(node)
            node = node.kind.children[0]
        }
        if case .context(let root) = node.kind {
            var components: [AccessPath.Component] = []
            var base = node
            for accessor in chain.reversed() {
                let component = AccessPath.Component(kind: accessor.componentKind, range: base.range.upperBound..<accessor.range.upperBound)
                components.append(component)
                base = accessor
                if component.kind == .dynamic { break }
            }
            paths.append(AccessPath(root: root, rootRange: node.range, components: components))
        } else {
            node.collectAccessPaths(into: &paths)
        }
        for accessor in chain {
            if case .index(_, let index) = accessor.kind { index.collectAccessPaths(into: &paths) }
        }
    }

    private var isContext: Bool {
        if case .context = kind { true } else { false }
    }

    /// What an accessor node reads, as a path component.
    private var componentKind: AccessPath.Component.Kind {
        switch kind {
        case .member(_, let name): .name(name)
        case .projection: .projection
        case .index(_, let index):
            switch index.kind {
            case .literal(.int(let position)): .index(position)
            case .literal(.string(let name)): .name(name)
            default: .dynamic
            }
        default: .dynamic
        }
    }
}
