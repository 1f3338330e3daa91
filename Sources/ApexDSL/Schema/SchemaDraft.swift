import OrderedCollections

/// The keywords of one schema mapping as ``SchemaParser`` reads them, before they become an
/// immutable ``JSONSchema``; it remembers each keyword's value node to point diagnostics at.
struct SchemaDraft {
    var types: [JSONType]?
    var properties: OrderedDictionary<String, JSONSchema> = [:]
    var required: [String] = []
    var additionalProperties: AdditionalProperties = .allowed
    var items: JSONSchema?
    var enumValues: [JSONValue]?
    var constValue: JSONValue?
    var defaultValue: JSONValue?
    var minimum, maximum, exclusiveMinimum, exclusiveMaximum: Double?
    var minLength, maxLength, minItems, maxItems: Int?
    var pattern: String?
    var anyOf: [JSONSchema] = [], oneOf: [JSONSchema] = [], allOf: [JSONSchema] = []
    var title, description, format: String?
    /// The value node of each keyword present.
    var nodes: [SchemaKeyword: YAMLNode] = [:]

    func build(range: SourceRange) -> JSONSchema {
        JSONSchema(
            types: types, properties: properties, required: required,
            additionalProperties: additionalProperties, items: items,
            enumValues: enumValues, constValue: constValue, defaultValue: defaultValue,
            minimum: minimum, maximum: maximum,
            exclusiveMinimum: exclusiveMinimum, exclusiveMaximum: exclusiveMaximum,
            minLength: minLength, maxLength: maxLength, minItems: minItems, maxItems: maxItems,
            pattern: pattern, anyOf: anyOf, oneOf: oneOf, allOf: allOf,
            title: title, description: description, format: format, range: range
        )
    }
}
