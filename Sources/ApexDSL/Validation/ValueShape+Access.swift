/// Reading into a shape: `.name`, `[0]` and `.*`, as the evaluator reads into a value
/// (docs/language.md, "Access" and "Projections").
extension ValueShape {
    /// What a shape says about one of its properties.
    enum PropertyRead {
        /// The property may exist, with this shape.
        case found(ValueShape)
        /// It is not declared. `closed`: it cannot exist (an error); else it may (a warning).
        /// The candidates are the names that do exist, for a did-you-mean.
        case absent(closed: Bool, candidates: PropertyNames)
        /// The value is never an object: reading a property of it fails at run time. The text
        /// says what it is ("an integer", "a list").
        case notAnObject(String)
        /// The value is always null, for this reason.
        case alwaysNull(String)
    }

    func property(_ name: String) -> PropertyRead {
        switch self {
        case .unknown:
            return .found(.unknown)
        case .null(let reason):
            return .alwaysNull(reason)
        case .kinds, .values:
            let kinds = self.kinds
            if kinds.isEmpty { return .found(.never) }
            if kinds.contains(.object) { return .found(.unknown) }
            return kinds == .null ? .alwaysNull("it is null") : .notAnObject(kinds.phrase)
        case .list:
            return .notAnObject("a list")
        case .object(let fields, let closed):
            guard let field = fields[name] else { return .absent(closed: closed, candidates: PropertyNames(fields.keys)) }
            return .found(field)
        case .schema(let schema):
            switch schema.lookupProperty(name) {
            case .known(let property): return .found(property.map(ValueShape.schema) ?? .unknown)
            case .absentClosed: return .absent(closed: true, candidates: PropertyNames(schema.properties.keys))
            case .absentOpen(let candidates): return .absent(closed: false, candidates: candidates)
            case .notAnObject(let kind): return .notAnObject(kind)
            }
        case .union(let members):
            return Self.merge(members.map { $0.property(name) })
        }
    }

    /// A property of one of several shapes: found when any may have it; otherwise absent when
    /// any object lacks it (closed when they all are), else not an object.
    private static func merge(_ reads: [PropertyRead]) -> PropertyRead {
        var found: ValueShape?
        var absent = false, open = false, candidates: PropertyNames = [], others: [String] = []
        for read in reads {
            switch read {
            case .found(let shape): found = found.map { $0.or(shape) } ?? shape
            case .absent(let closed, let names):
                absent = true
                open = open || !closed
                candidates.merge(names)
            case .notAnObject(let text), .alwaysNull(let text):
                others.append(text)
            }
        }
        if open, let shape = found { return .found(shape.or(.unknown)) }
        if let found { return .found(found) }
        if absent { return .absent(closed: !open, candidates: candidates) }
        return .notAnObject(others.joined(separator: " or "))
    }

    /// What `[n]` gives on this shape: the element's shape, or nil when the value is never a
    /// list (indexing it with a number fails at run time).
    var element: ValueShape? {
        switch self {
        case .unknown: return .unknown
        case .null: return .unknown
        case .kinds, .values:
            let kinds = self.kinds
            if kinds.isEmpty { return .never }
            return kinds.contains(.list) || kinds == .null ? .unknown : nil
        case .list(let element): return element
        case .object: return nil
        case .schema(let schema):
            guard schema.valueKinds.contains(.list) else { return nil }
            return schema.itemSchema.map(ValueShape.schema) ?? .unknown
        case .union(let members):
            let elements = members.compactMap(\.element)
            return elements.isEmpty ? nil : elements.dropFirst().reduce(elements[0]) { $0.or($1) }
        }
    }

    /// The elements that `.*` goes over: a list's elements or an object's values; nil when the
    /// value is never a list or an object (`.*` fails at run time).
    var members: ValueShape? {
        switch self {
        case .unknown, .null: return .unknown
        case .kinds, .values:
            let kinds = self.kinds
            if kinds.isEmpty { return .never }
            return kinds.isDisjoint(with: [.list, .object, .null]) ? nil : .unknown
        case .list(let element): return element
        case .object(let fields, let closed):
            let values = fields.values.reduce(ValueShape.never) { $0.or($1) }
            return closed ? values : values.or(.unknown)
        case .schema(let schema):
            let kinds = schema.valueKinds
            if kinds.isDisjoint(with: [.list, .object]) { return nil }
            if !kinds.contains(.object), let items = schema.itemSchema { return .schema(items) }
            return .unknown
        case .union(let members):
            let all = members.compactMap(\.members)
            return all.isEmpty ? nil : all.dropFirst().reduce(all[0]) { $0.or($1) }
        }
    }

    /// The elements a second `.*` gives from projected elements of this shape: lists give
    /// their elements, objects their values, and other values are dropped (no error).
    var flattened: ValueShape {
        switch self {
        case .list, .object, .schema, .union: members ?? .never
        case .unknown: .unknown
        case .null: .never
        case .kinds, .values: kinds.isDisjoint(with: [.list, .object]) ? .never : .unknown
        }
    }
}
