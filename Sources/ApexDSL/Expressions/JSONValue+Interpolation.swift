extension JSONValue {
    /// The interpolation rendering (docs/language.md, "Rendering: typed values and text"), used
    /// when an expression is part of a longer string and by `string()`, `join()` and `format()`:
    /// `null` → `""`, strings as they are, numbers and booleans as JSON, lists and objects as
    /// compact JSON.
    public var interpolated: String {
        switch self {
        case .null: ""
        case .string(let value): value
        default: compactJSON
        }
    }
}
