/// A node of a parsed YAML document with its source range: the positioned syntax tree that
/// every later stage reads, so that any value can be pointed at in a diagnostic.
public struct YAMLNode: Sendable {
    public enum Kind: Sendable {
        case scalar(YAMLScalar)
        case mapping([YAMLPair])
        case sequence([YAMLNode])
    }

    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    public var scalar: YAMLScalar? { if case .scalar(let s) = kind { s } else { nil } }
    public var pairs: [YAMLPair]? { if case .mapping(let p) = kind { p } else { nil } }
    public var items: [YAMLNode]? { if case .sequence(let i) = kind { i } else { nil } }

    /// The node's kind as messages name it: "a string", "a mapping", "a list", "a number", …
    public var kindDescription: String {
        switch kind {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let s):
            switch s.resolved {
            case .null: "null"
            case .bool: "a boolean"
            case .int, .double: "a number"
            case .string: "a string"
            case .array, .object: "a value"
            }
        }
    }

    /// The value for `key` in a mapping node.
    public subscript(key: String) -> YAMLNode? {
        pairs?.first { $0.key.scalar?.value == key }?.value
    }
}

/// One `key: value` entry of a mapping.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    /// The key's text when it is a scalar (every key in a valid workflow is).
    public var name: String? { key.scalar?.value }
}

/// A scalar as written, with its style, and its value typed by the YAML 1.2 core schema.
public struct YAMLScalar: Sendable {
    public enum Style: Sendable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// The scalar's text after YAML unquoting and folding.
    public var value: String
    public var style: Style
    /// The typed value: only plain scalars are typed (`true`, `3`, `null`); quoted and block
    /// scalars are strings. `yes`, `on` and `no` stay strings, as in YAML 1.2.
    public var resolved: JSONValue

    public init(value: String, style: Style, resolved: JSONValue) {
        self.value = value
        self.style = style
        self.resolved = resolved
    }
}
