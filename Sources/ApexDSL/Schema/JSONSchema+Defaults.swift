extension JSONSchema {
    /// The value with the `default`s of missing object properties filled in, recursively: in
    /// declared properties, in `additionalProperties` schemas, in array elements and through
    /// `allOf`. Defaults inside `anyOf`/`oneOf` are not applied, since which alternative
    /// applies is not known before validation (as in Ajv's `useDefaults`).
    ///
    /// A missing (null) top-level value becomes the schema's own `default` when it has one;
    /// otherwise it becomes an object (holding the defaulted properties) when `type` allows
    /// objects but not null, or when there is no `type` and some property has a default. So a
    /// run started without input gets its defaults, and is told which properties it lacks
    /// rather than that null is not an object.
    public func applyingDefaults(to value: JSONValue) -> JSONValue {
        var value = value
        if value.isNull {
            if let defaultValue {
                value = defaultValue
            } else if let types, types.contains(.object), !types.contains(.null) {
                value = [:]
            } else if types == nil, hasPropertyDefaults {
                value = [:]
            }
        }
        return fillingDefaults(in: value)
    }

    /// Whether some declared property (here or in `allOf`) has a default.
    private var hasPropertyDefaults: Bool {
        properties.values.contains { $0.defaultValue != nil } || allOf.contains { $0.hasPropertyDefaults }
    }

    private func fillingDefaults(in value: JSONValue) -> JSONValue {
        var value = value
        switch value {
        case .object(var members):
            for (name, property) in properties {
                if let member = members[name] {
                    members[name] = property.fillingDefaults(in: member)
                } else if let defaultValue = property.defaultValue {
                    members[name] = property.fillingDefaults(in: defaultValue)
                }
            }
            if case .schema(let schema) = additionalProperties {
                for (name, member) in members where properties[name] == nil {
                    members[name] = schema.fillingDefaults(in: member)
                }
            }
            value = .object(members)
        case .array(let elements):
            if let items { value = .array(elements.map(items.fillingDefaults)) }
        default:
            break
        }
        for branch in allOf {
            value = branch.fillingDefaults(in: value)
        }
        return value
    }
}
