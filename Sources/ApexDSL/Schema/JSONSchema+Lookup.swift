import OrderedCollections

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
        guard declaredNames.contains(name) else { return undeclaredLookup }
        let own: PropertyLookup
        if let property = properties[name] {
            own = property.acceptsNothing ? .absentClosed : .known(property)
        } else {
            own = Self.ownLookupOfUndeclared(additionalProperties, properties: properties, declaresProperties: true)
        }
        return Self.lookup(types: types, own: own, allOf: allOf, anyOf: anyOf, oneOf: oneOf) { $0.lookupProperty(name) }
    }

    /// What a schema with these `types`, this lookup in its own keywords and these branches
    /// says about a name, given how to look it up in a branch.
    static func lookup(
        types: [JSONType]?, own: @autoclosure () -> PropertyLookup, allOf: [JSONSchema], anyOf: [JSONSchema], oneOf: [JSONSchema],
        inBranch lookUp: (JSONSchema) -> PropertyLookup
    ) -> PropertyLookup {
        if types?.isEmpty == true { return .absentClosed }
        if let types, !types.contains(.object) { return .notAnObject(JSONType.phrase(types)) }
        var result = own()
        for branch in allOf {
            result = intersect(result, lookUp(branch))
        }
        for alternatives in [anyOf, oneOf] where !alternatives.isEmpty {
            let lookups = alternatives.map { intersect(result, lookUp($0)) }
            result = union(lookups)
        }
        return result
    }

    /// What a schema's own keywords say about a name that its `properties` do not declare.
    static func ownLookupOfUndeclared(
        _ additionalProperties: AdditionalProperties, properties: OrderedDictionary<String, JSONSchema>, declaresProperties: Bool
    ) -> PropertyLookup {
        switch additionalProperties {
        case .forbidden: .absentClosed
        case .schema(let schema): .known(schema)
        case .allowed: declaresProperties ? .absentOpen(candidates: PropertyNames(properties.keys)) : .known(nil)
        }
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
