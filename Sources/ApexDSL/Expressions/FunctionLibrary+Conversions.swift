extension FunctionLibrary {
    /// Integers as they are, floats truncated toward zero, numeric strings parsed then truncated.
    static func int(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        switch try number(from: arguments) {
        case .double(let value): try integer(value.rounded(.towardZero), arguments)
        case let value: value
        }
    }

    static func float(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        switch try number(from: arguments) {
        case .int(let value): .double(Double(value))
        case let value: value
        }
    }

    /// The argument as a number: itself, or a string in JSON number syntax with whitespace around
    /// it allowed (text from LLMs and HTTP bodies often ends with a newline).
    private static func number(from arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        switch arguments[0] {
        case .int, .double:
            return arguments[0]
        case .string(let text):
            guard let number = JSONValue(numberText: text.trimmingWhitespace) else {
                throw arguments.error("cannot read \(arguments[0].compactJSON) as a number", argument: 0)
            }
            return number
        default:
            throw arguments.wrongType(0, expected: "a number or a numeric string")
        }
    }

    static func string(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        .string(arguments[0].interpolated)
    }

    /// The strings `"true"` and `"false"` parse; anything else is its truthiness.
    static func bool(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        switch arguments[0] {
        case .string("true"): true
        case .string("false"): false
        case let value: .bool(value.isTruthy)
        }
    }
}
