extension JSONSchema {
    /// What the schema says about a property of the objects it describes, for static checks of
    /// expressions such as `steps.x.output.data.category`.
    ///
    /// A declared property is `.known` with its schema; an undeclared one of an object with an
    /// `additionalProperties` schema is `.known` with that schema. A schema that declares no
    /// properties anywhere says nothing about shape, so any name is `.known(nil)`. `allOf`
    /// branches all apply; `anyOf`/`oneOf` alternatives are merged (each with this schema's
    /// own keywords): closed only when every one is closed.
    public func lookupProperty(_ name: String) -> PropertyLookup {
        if acceptsNothing { return .absentClosed }
        if let types, !types.contains(.object) { return .notAnObject(typeDescription) }
        var result = ownLookup(name)
        for branch in allOf {
            result = Self.intersect(result, branch.lookupProperty(name))
        }
        for alternatives in [anyOf, oneOf] where !alternatives.isEmpty {
            let lookups = alternatives.map { Self.intersect(result, $0.lookupProperty(name)) }
            result = Self.union(lookups)
        }
        return result
    }

    /// The schema of the elements when the value is an array of known element shape.
    public var itemSchema: JSONSchema? {
        if let types, !types.contains(.array) { return nil }
        if let items { return items }
        if let found = allOf.lazy.compactMap(\.itemSchema).first { return found }
        for alternatives in [anyOf, oneOf] where !alternatives.isEmpty {
            let arrays = alternatives.filter { $0.allowsType(.array) }
            let schemas = arrays.compactMap(\.itemSchema)
            if let first = schemas.first, schemas.count == arrays.count, schemas.allSatisfy({ $0 == first }) { return first }
        }
        return nil
    }

    private func ownLookup(_ name: String) -> PropertyLookup {
        if let property = properties[name] { return property.acceptsNothing ? .absentClosed : .known(property) }
        switch additionalProperties {
        case .forbidden: return .absentClosed
        case .schema(let schema): return .known(schema)
        case .allowed: return declaresProperties ? .absentOpen(candidates: PropertyNames(properties.keys)) : .known(nil)
        }
    }

    /// Whether this schema or its composed branches name any property.
    private var declaresProperties: Bool {
        !properties.isEmpty || [allOf, anyOf, oneOf].joined().contains { $0.declaresProperties }
    }

    /// Both lookups hold (`allOf`): the narrower one wins.
    private static func intersect(_ a: PropertyLookup, _ b: PropertyLookup) -> PropertyLookup {
        switch (a, b) {
        case (.notAnObject, _): a
        case (_, .notAnObject): b
        case (.absentClosed, _), (_, .absentClosed): .absentClosed
        case (.known(let x?), _): .known(x)
        case (_, .known(let y?)): .known(y)
        case (.known(nil), _), (_, .known(nil)): .known(nil)
        case (.absentOpen(let x), .absentOpen(let y)): .absentOpen(candidates: x.merging(y))
        }
    }

    /// One of the lookups holds (`anyOf`/`oneOf`).
    private static func union(_ lookups: [PropertyLookup]) -> PropertyLookup {
        var known: [JSONSchema?] = [], candidates: PropertyNames = [], open = false, notObjects: [String] = []
        for lookup in lookups {
            switch lookup {
            case .known(let schema): known.append(schema)
            case .absentClosed: break
            case .absentOpen(let names): open = true; candidates.merge(names)
            case .notAnObject(let text): notObjects.append(text)
            }
        }
        if notObjects.count == lookups.count { return .notAnObject(notObjects.joined(separator: " or ")) }
        if let first = known.first {
            // One shape only when every alternative that may have the property agrees on it.
            let same = !open && known.allSatisfy { $0 != nil && $0 == first }
            return .known(same ? first : nil)
        }
        return open ? .absentOpen(candidates: candidates) : .absentClosed
    }
}
