extension FunctionLibrary {
    static func length(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        switch arguments[0] {
        case .string(let value): .int(value.count)
        case .array(let items): .int(items.count)
        case .object(let members): .int(members.count)
        default: throw arguments.wrongType(0, expected: "a string, a list or an object")
        }
    }

    static func contains(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        switch arguments[0] {
        case .string(let text):
            let part = try arguments.string(1)
            return .bool(part.isEmpty || text.contains(part))
        case .array(let items):
            return .bool(items.contains { $0.equalsDeeply(arguments[1]) })
        default:
            throw arguments.wrongType(0, expected: "a string or a list")
        }
    }

    static func startsWith(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        .bool(try arguments.string(0).hasPrefix(try arguments.string(1)))
    }

    static func endsWith(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        .bool(try arguments.string(0).hasSuffix(try arguments.string(1)))
    }

    static func lower(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        .string(try arguments.string(0).lowercased())
    }

    static func upper(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        .string(try arguments.string(0).uppercased())
    }

    /// Removes whitespace and newlines at both ends.
    static func trim(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        .string(try arguments.string(0).trimmingWhitespace)
    }

    /// Empty parts are kept (`split('a,,b', ',')` has three); an empty separator gives the characters.
    static func split(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        let text = try arguments.string(0)
        let separator = try arguments.string(1)
        if separator.isEmpty { return .array(text.map { .string(String($0)) }) }
        var parts: [JSONValue] = []
        var rest = text[...]
        while let match = rest.firstRange(of: separator) {
            parts.append(.string(String(rest[..<match.lowerBound])))
            rest = rest[match.upperBound...]
        }
        parts.append(.string(String(rest)))
        return .array(parts)
    }

    static func join(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        let items = try arguments.list(0)
        let separator = arguments.count > 1 ? try arguments.string(1) : ","
        return .string(items.map(\.interpolated).joined(separator: separator))
    }
}
