/// What an object schema says about properties that `properties` does not declare.
public enum AdditionalProperties: Sendable {
    /// Any other property is allowed, with any value (the default, and `additionalProperties: true`).
    case allowed
    /// No other property may be present (`additionalProperties: false`).
    case forbidden
    /// Other properties may be present, and their values must match the schema.
    case schema(JSONSchema)

    /// The schema for undeclared properties: nil when they are forbidden, "anything" when allowed.
    public var schema: JSONSchema? {
        switch self {
        case .allowed: .anything
        case .forbidden: nil
        case .schema(let schema): schema
        }
    }
}
