extension JSONValue {
    /// The type as expression messages name it, with its article: "an integer", "a list", "null".
    /// Lists are "lists" here, as docs/language.md, "Expressions", calls them, where JSON Schema
    /// says "array".
    var typePhrase: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }

    /// The value as an Int when it is an integer, or a float with no fractional part that fits.
    var integralValue: Int? {
        switch self {
        case .int(let value): value
        case .double(let value): Int(exactly: value)
        default: nil
        }
    }
}
