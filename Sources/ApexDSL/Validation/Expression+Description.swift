extension Expression {
    /// How messages name the value of an access chain: `steps.a.output.data`, `items[0]`,
    /// `items.*.name`, `keys(…).*`; nil for any other expression (its value is "the value").
    var chainDescription: String? {
        switch kind {
        case .context(let name):
            return name
        case .member(let base, let name):
            return base.chainDescription.map { "\($0).\(name)" }
        case .index(let base, let index):
            guard let described = base.chainDescription else { return nil }
            if case .literal(.int(let position)) = index.kind { return "\(described)[\(position)]" }
            return "\(described)[…]"
        case .projection(let base):
            return base.chainDescription.map { "\($0).*" }
        case .call(let name, _):
            return "\(name)(…)"
        default:
            return nil
        }
    }

    /// The subject of a message about this value: the chain in backticks, or "the value".
    var subject: String {
        chainDescription.map { "`\($0)`" } ?? "the value"
    }

    /// The range of the accessor of an access node (`.name`, `['name']`, `[i]`, `.*`), without
    /// the dot of `.name`, so that the caret starts at the name.
    var accessorRange: Range<Int> {
        guard let base = kind.children.first else { return range }
        let accessor = base.range.upperBound..<range.upperBound
        if case .member(_, let name) = kind, accessor.count == name.unicodeScalars.count + 1 {
            return accessor.lowerBound + 1..<accessor.upperBound
        }
        return accessor
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
