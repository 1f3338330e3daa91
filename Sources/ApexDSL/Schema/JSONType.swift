/// A JSON Schema type name, as written after `type:`.
public enum JSONType: String, Sendable, CaseIterable {
    case null, boolean, integer, number, string, array, object

    /// Whether a value is of this type. `integer` accepts floats with no fractional part
    /// (`2.0`), and `number` accepts integers, as JSON Schema does.
    public func admits(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null), (.boolean, .bool), (.string, .string), (.array, .array), (.object, .object): true
        case (.integer, .int), (.number, .int), (.number, .double): true
        case (.integer, .double(let d)): d.isFinite && d == d.rounded()
        default: false
        }
    }

    /// The type with an article, as messages name it: "a string", "an integer", "null".
    public var phrase: String {
        switch self {
        case .null: "null"
        case .boolean: "a boolean"
        case .integer: "an integer"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Joins type phrases the way messages read them: "a string", "a string or null",
    /// "a string, a number or null".
    public static func phrase(_ types: [JSONType]) -> String {
        let phrases = types.map(\.phrase)
        guard phrases.count > 1 else { return phrases.first ?? "nothing" }
        return phrases.dropLast().joined(separator: ", ") + " or " + phrases[phrases.count - 1]
    }

    /// Names people write for JSON types in other languages, mapped to the JSON Schema name.
    static let aliases: [String: JSONType] = [
        "bool": .boolean, "int": .integer, "long": .integer, "float": .number, "double": .number,
        "decimal": .number, "str": .string, "text": .string, "list": .array, "dict": .object,
        "map": .object, "mapping": .object, "hash": .object, "none": .null, "nil": .null,
    ]

    /// The JSON type of a value as messages name it: integers and floats are both "a number",
    /// except a float where an integer is expected, which is shown as itself.
    static func phrase(of value: JSONValue, expecting types: [JSONType]) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "a number"
        case .double(let d): types.contains(.integer) && !types.contains(.number) ? JSONValue.double(d).compactJSON : "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
