import OrderedCollections

extension SchemaParser {
    /// Reads one supported keyword's value into the draft, reporting a value of the wrong kind.
    mutating func read(_ keyword: SchemaKeyword, _ value: YAMLNode, into draft: inout SchemaDraft) {
        switch keyword {
        case .type: draft.types = types(value)
        case .properties: draft.properties = properties(value)
        case .required: draft.required = required(value)
        case .additionalProperties: draft.additionalProperties = additionalProperties(value)
        case .items: draft.items = items(value)
        case .enum: draft.enumValues = enumValues(value)
        case .const: draft.constValue = value.jsonValue
        case .default: draft.defaultValue = value.jsonValue
        case .minimum: draft.minimum = number(value, keyword)
        case .maximum: draft.maximum = number(value, keyword)
        case .exclusiveMinimum: draft.exclusiveMinimum = number(value, keyword)
        case .exclusiveMaximum: draft.exclusiveMaximum = number(value, keyword)
        case .minLength: draft.minLength = count(value, keyword)
        case .maxLength: draft.maxLength = count(value, keyword)
        case .minItems: draft.minItems = count(value, keyword)
        case .maxItems: draft.maxItems = count(value, keyword)
        case .pattern: draft.pattern = pattern(value)
        case .anyOf: draft.anyOf = schemaList(value, keyword)
        case .oneOf: draft.oneOf = schemaList(value, keyword)
        case .allOf: draft.allOf = schemaList(value, keyword)
        case .title: draft.title = text(value, keyword)
        case .description: draft.description = text(value, keyword)
        case .format: draft.format = text(value, keyword)
        }
    }

    private mutating func properties(_ node: YAMLNode) -> OrderedDictionary<String, JSONSchema> {
        guard let pairs = node.pairs else {
            error(.schemaInvalid, "`properties` must be a mapping of property names to schemas, not \(node.kindDescription)", at: node.range)
            return [:]
        }
        var result = OrderedDictionary<String, JSONSchema>()
        for pair in pairs {
            guard let name = pair.name else {
                error(.schemaInvalid, "a property name must be a string, not \(pair.key.kindDescription)", at: pair.key.range)
                continue
            }
            // A property whose schema is broken stays declared, with any shape, so that later
            // checks do not also call it unknown.
            result[name] = schema(pair.value, at: name) ?? JSONSchema(range: pair.value.range)
        }
        return result
    }

    private mutating func required(_ node: YAMLNode) -> [String] {
        guard let items = node.items else {
            var message = "`required` must be a list of property names, such as [ticket], not \(node.kindDescription)"
            if node.scalar?.resolved == .bool(true) || node.scalar?.resolved == .bool(false) {
                message += "; it belongs on the object and lists its required properties"
            }
            error(.schemaInvalid, message, at: node.range)
            return []
        }
        var names = OrderedSet<String>()
        for item in items {
            guard case .string(let name)? = item.scalar?.resolved else {
                let quoting = item.scalar.map { "; quote it: \"\($0.value)\"" } ?? ""
                error(.schemaInvalid, "a required property name must be a string, not \(item.kindDescription)\(quoting)", at: item.range)
                continue
            }
            guard names.append(name).inserted else {
                error(.schemaInvalid, "`\(name)` is listed twice in `required`", at: item.range)
                continue
            }
        }
        return names.elements
    }

    private mutating func additionalProperties(_ node: YAMLNode) -> AdditionalProperties {
        if case .bool(let allowed)? = node.scalar?.resolved { return allowed ? .allowed : .forbidden }
        guard node.pairs != nil else {
            error(.schemaInvalid, "`additionalProperties` must be true, false or a schema, not \(node.kindDescription)", at: node.range)
            return .allowed
        }
        return schema(node).map(AdditionalProperties.schema) ?? .allowed
    }

    private mutating func items(_ node: YAMLNode) -> JSONSchema? {
        if node.items != nil {
            error(.schemaInvalid, "`items` must be one schema that every element matches; a list of schemas (a tuple) is not in the subset", at: node.range)
            return nil
        }
        return schema(node)
    }

    private mutating func enumValues(_ node: YAMLNode) -> [JSONValue]? {
        guard let items = node.items, !items.isEmpty else {
            let what = node.items == nil ? node.kindDescription : "an empty list"
            error(.schemaInvalid, "`enum` must be a non-empty list of the allowed values, not \(what)", at: node.range)
            return nil
        }
        return items.map(\.jsonValue)
    }

    private mutating func schemaList(_ node: YAMLNode, _ keyword: SchemaKeyword) -> [JSONSchema] {
        guard let items = node.items, !items.isEmpty else {
            let what = node.items == nil ? node.kindDescription : "an empty list"
            error(.schemaInvalid, "`\(keyword.rawValue)` must be a non-empty list of schemas, not \(what)", at: node.range)
            return []
        }
        return items.enumerated().compactMap { index, item in schema(item, at: String(index)) }
    }

    private mutating func text(_ node: YAMLNode, _ keyword: SchemaKeyword) -> String? {
        guard let scalar = node.scalar, !scalar.resolved.isNull else {
            error(.schemaInvalid, "`\(keyword.rawValue)` must be text, not \(node.kindDescription)", at: node.range)
            return nil
        }
        return scalar.value
    }
}
