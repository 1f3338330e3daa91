import OrderedCollections

/// The evaluated arguments of one call, with what messages need to name the function and point at
/// the argument at fault.
struct FunctionArguments {
    let function: String
    let values: [JSONValue]
    /// The range of each argument's expression.
    let ranges: [Range<Int>]
    /// The range of the whole call, for problems that are no single argument's fault.
    let callRange: Range<Int>

    var count: Int { values.count }

    subscript(position: Int) -> JSONValue { values[position] }

    /// An error whose message starts with the function's name: `min() of an empty list`.
    func error(_ message: String, argument: Int? = nil) -> ExpressionError {
        ExpressionError("\(function)() \(message)", at: argument.map { ranges[$0] } ?? callRange)
    }

    /// `lower() expects a string, not an integer`; with several arguments, says which one.
    func wrongType(_ position: Int, expected: String) -> ExpressionError {
        let which = count == 1 ? "" : " as argument \(position + 1)"
        return error("expects \(expected)\(which), not \(values[position].typePhrase)", argument: position)
    }

    func string(_ position: Int) throws(ExpressionError) -> String {
        guard case .string(let value) = values[position] else { throw wrongType(position, expected: "a string") }
        return value
    }

    func list(_ position: Int) throws(ExpressionError) -> [JSONValue] {
        guard case .array(let value) = values[position] else { throw wrongType(position, expected: "a list") }
        return value
    }

    func object(_ position: Int) throws(ExpressionError) -> OrderedDictionary<String, JSONValue> {
        guard case .object(let value) = values[position] else { throw wrongType(position, expected: "an object") }
        return value
    }

    /// The argument when it is a number (`.int` or `.double`).
    func number(_ position: Int) throws(ExpressionError) -> JSONValue {
        guard values[position].numberValue != nil else { throw wrongType(position, expected: "a number") }
        return values[position]
    }
}
