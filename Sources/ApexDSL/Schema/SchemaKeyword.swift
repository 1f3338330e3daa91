/// The keywords of the JSON Schema subset (docs/language.md, "The JSON Schema subset"). Anything
/// else is an error, so that users are never silently unprotected by a keyword that Apex would
/// ignore.
enum SchemaKeyword: String, CaseIterable {
    case type, properties, required, additionalProperties, items
    case `enum`, const, `default`
    case minimum, maximum, exclusiveMinimum, exclusiveMaximum
    case minLength, maxLength, pattern, minItems, maxItems
    case anyOf, oneOf, allOf
    case description, title, format

    static let names = allCases.map(\.rawValue)

    /// Advice for keywords of full JSON Schema (and OpenAPI) that the subset leaves out.
    static func advice(forUnsupported keyword: String) -> String? {
        switch keyword {
        case "$ref", "$defs", "definitions", "$anchor", "$dynamicRef":
            "write the schema inline; references are not supported"
        case "$schema", "$id", "$comment", "examples", "example", "readOnly", "writeOnly", "deprecated":
            "remove it; use `description` for notes"
        case "nullable":
            "list null among the types instead, as in `type: [string, \"null\"]`"
        case "not":
            "express the constraint positively, with `enum`, `anyOf` or bounds"
        case "if", "then", "else", "dependentRequired", "dependentSchemas", "dependencies":
            "use `anyOf` or `oneOf` of alternatives instead"
        case "patternProperties", "propertyNames", "unevaluatedProperties":
            "use `additionalProperties` with a schema instead"
        default:
            nil
        }
    }
}
