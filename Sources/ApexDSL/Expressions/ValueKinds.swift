/// A set of JSON types, as static checks of expressions reason about them: the kinds of value an
/// expression may give, or a function parameter accepts. Integers and floats are apart, as they
/// are at run time (`round(x, 2.0)` fails where `round(x, 2)` does not).
public struct ValueKinds: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public static let null = ValueKinds(rawValue: 1 << 0)
    public static let boolean = ValueKinds(rawValue: 1 << 1)
    public static let integer = ValueKinds(rawValue: 1 << 2)
    public static let float = ValueKinds(rawValue: 1 << 3)
    public static let string = ValueKinds(rawValue: 1 << 4)
    public static let list = ValueKinds(rawValue: 1 << 5)
    public static let object = ValueKinds(rawValue: 1 << 6)

    public static let number: ValueKinds = [.integer, .float]
    public static let all: ValueKinds = [.null, .boolean, .number, .string, .list, .object]

    /// The kind of one value.
    public init(of value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool: self = .boolean
        case .int: self = .integer
        case .double: self = .float
        case .string: self = .string
        case .array: self = .list
        case .object: self = .object
        }
    }

    /// The kinds a JSON Schema `type` allows. A schema `integer` is an integer here, though JSON
    /// Schema also admits `2.0`: checks only flag what no allowed kind can do, and no operation
    /// takes an integer but refuses its float.
    public init(_ type: JSONType) {
        switch type {
        case .null: self = .null
        case .boolean: self = .boolean
        case .integer: self = .integer
        case .number: self = .number
        case .string: self = .string
        case .array: self = .list
        case .object: self = .object
        }
    }

    /// The kinds as messages name them, with articles, as ``JSONValue/typePhrase`` does:
    /// "a string", "an integer or a list", "a string, a list or an object", "a value of any type".
    public var phrase: String {
        if self == .all { return "a value of any type" }
        var phrases: [String] = []
        if contains(.null) { phrases.append("null") }
        if contains(.boolean) { phrases.append("a boolean") }
        if isSuperset(of: .number) {
            phrases.append("a number")
        } else if contains(.integer) {
            phrases.append("an integer")
        } else if contains(.float) {
            phrases.append("a number")
        }
        if contains(.string) { phrases.append("a string") }
        if contains(.list) { phrases.append("a list") }
        if contains(.object) { phrases.append("an object") }
        guard phrases.count > 1 else { return phrases.first ?? "nothing" }
        return phrases.dropLast().joined(separator: ", ") + " or " + phrases[phrases.count - 1]
    }

    /// The kinds as `==` tells them apart: an integer and a float may be equal (`1 == 1.0`).
    public var forEquality: ValueKinds {
        isDisjoint(with: .number) ? self : union(.number)
    }
}
