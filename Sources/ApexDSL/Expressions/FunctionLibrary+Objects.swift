extension FunctionLibrary {
    static func keys(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        .array(try arguments.object(0).keys.map { .string($0) })
    }

    static func values(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        .array(Array(try arguments.object(0).values))
    }

    static func toJSON(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        .string(arguments[0].compactJSON)
    }

    static func fromJSON(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        let text = try arguments.string(0)
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw arguments.error("cannot parse its argument: \(error)", argument: 0)
        }
    }
}
