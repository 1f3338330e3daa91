import OrderedCollections

extension JSONSchema: Hashable {
    /// The schema as JSON Schema, keywords in a fixed order: for storing it with a plan and for
    /// the structured-output options of LLM providers. `false` stays `false`; `true` is `{}`.
    public var jsonValue: JSONValue {
        if acceptsNothing { return false }
        var object = OrderedDictionary<String, JSONValue>()
        func put(_ keyword: SchemaKeyword, _ value: JSONValue?) {
            if let value { object[keyword.rawValue] = value }
        }
        put(.title, title.map(JSONValue.string))
        put(.description, description.map(JSONValue.string))
        if let types {
            put(.type, types.count == 1 ? .string(types[0].rawValue) : .array(types.map { .string($0.rawValue) }))
        }
        put(.format, format.map(JSONValue.string))
        put(.enum, enumValues.map(JSONValue.array))
        put(.const, constValue)
        put(.default, defaultValue)
        for (keyword, bound) in [(SchemaKeyword.minimum, minimum), (.maximum, maximum), (.exclusiveMinimum, exclusiveMinimum), (.exclusiveMaximum, exclusiveMaximum)] {
            put(keyword, bound.map(Self.number))
        }
        for (keyword, count) in [(SchemaKeyword.minLength, minLength), (.maxLength, maxLength), (.minItems, minItems), (.maxItems, maxItems)] {
            put(keyword, count.map(JSONValue.int))
        }
        put(.pattern, pattern.map(JSONValue.string))
        put(.items, items?.jsonValue)
        if !properties.isEmpty { put(.properties, .object(properties.mapValues(\.jsonValue))) }
        if !required.isEmpty { put(.required, .array(required.map(JSONValue.string))) }
        switch additionalProperties {
        case .allowed: break
        case .forbidden: put(.additionalProperties, false)
        case .schema(let schema): put(.additionalProperties, schema.jsonValue)
        }
        for (keyword, branches) in [(SchemaKeyword.allOf, allOf), (.anyOf, anyOf), (.oneOf, oneOf)] where !branches.isEmpty {
            put(keyword, .array(branches.map(\.jsonValue)))
        }
        return .object(object)
    }

    /// Integral bounds as integers, so that `minimum: 1` reads back as written.
    private static func number(_ value: Double) -> JSONValue {
        value == value.rounded() && abs(value) < 1e15 ? .int(Int(value)) : .double(value)
    }

    /// Schemas are equal when they say the same, wherever they were written.
    public static func == (lhs: JSONSchema, rhs: JSONSchema) -> Bool {
        lhs === rhs || lhs.jsonValue == rhs.jsonValue
    }

    /// Hashes what the schema says, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(jsonValue)
    }
}
