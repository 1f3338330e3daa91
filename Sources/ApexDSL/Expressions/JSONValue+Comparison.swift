extension JSONValue {
    /// Equality as `==`, `contains()` and `!=` see it, and as JSON Schema's `enum` and `const`
    /// define it: an integer equals the float of the same value, lists are equal element by
    /// element, objects are equal when they have the same keys with equal values in any order;
    /// values of different types are never equal.
    public func equalsDeeply(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)):
            return Self.exactlyEqual(a, b)
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.equalsDeeply($1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map(value.equalsDeeply) ?? false }
        default:
            return self == other
        }
    }

    /// Compares without rounding the integer, which a conversion to Double would do past 2^53.
    private static func exactlyEqual(_ integer: Int, _ double: Double) -> Bool {
        Int(exactly: double) == integer
    }

    /// The order of two numbers or two strings (-1, 0, 1), as `<` and `min()` see it; nil for any
    /// other pair. Two integers compare exactly; strings by Swift's `<` (Unicode code points after
    /// canonical normalisation, so case-sensitive).
    func order(comparedTo other: JSONValue) -> Int? {
        switch (self, other) {
        case (.int(let a), .int(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let a), .string(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        default:
            guard let a = numberValue, let b = other.numberValue else { return nil }
            return a < b ? -1 : (a == b ? 0 : 1)
        }
    }
}
