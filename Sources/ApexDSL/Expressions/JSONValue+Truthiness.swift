extension JSONValue {
    /// Truthiness as `!`, `&&`, `||`, `? :`, `if:` and `bool()` see it: `null`, `false`, `0`, `0.0`
    /// and `""` are false; everything else, empty lists and objects included, is true.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .int(let value): value != 0
        case .double(let value): value != 0
        case .string(let value): !value.isEmpty
        case .array, .object: true
        }
    }
}
