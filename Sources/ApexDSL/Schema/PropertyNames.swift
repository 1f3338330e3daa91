import OrderedCollections

/// The names that a ``PropertyLookup`` offers as did-you-mean candidates: the declared
/// properties of one or more schemas, in the order written, each once.
///
/// It keeps the schemas' own sets of names and gathers them only when iterated, so looking up
/// an undeclared property costs the same whether a schema declares three properties or 100,000.
public struct PropertyNames: Sequence, Equatable, Sendable, ExpressibleByArrayLiteral {
    private var groups: [OrderedSet<String>]

    init(_ names: OrderedSet<String>) {
        groups = [names]
    }

    public init(arrayLiteral names: String...) {
        groups = [OrderedSet(names)]
    }

    /// Adds the names of `other` that are not among these, after them.
    mutating func merge(_ other: PropertyNames) {
        groups += other.groups
    }

    /// These names, then those of `other` that are not among them.
    func merging(_ other: PropertyNames) -> PropertyNames {
        var merged = self
        merged.merge(other)
        return merged
    }

    public func makeIterator() -> IndexingIterator<[String]> {
        guard groups.count > 1 else { return (groups.first?.elements ?? []).makeIterator() }
        var all = OrderedSet<String>()
        for group in groups { all.append(contentsOf: group) }
        return all.elements.makeIterator()
    }

    public static func == (a: PropertyNames, b: PropertyNames) -> Bool {
        Array(a) == Array(b)
    }
}
