extension FunctionLibrary {
    static func min(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        try extreme(arguments) { $0.order(comparedTo: $1) == -1 }
    }

    static func max(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        try extreme(arguments) { $0.order(comparedTo: $1) == 1 }
    }

    /// The first of the numbers (several arguments, or one list) that no other number beats.
    private static func extreme(
        _ arguments: FunctionArguments, beats: (JSONValue, JSONValue) -> Bool
    ) throws(ExpressionError) -> JSONValue {
        let numbers: [JSONValue]
        switch (arguments.count, arguments[0]) {
        case (1, .array(let items)):
            guard !items.isEmpty else { throw arguments.error("of an empty list", argument: 0) }
            for item in items where item.numberValue == nil {
                throw arguments.error("expects a list of numbers, but it holds \(item.typePhrase)", argument: 0)
            }
            numbers = items
        default:
            for position in 0..<arguments.count { _ = try arguments.number(position) }
            numbers = arguments.values
        }
        var best = numbers[0]
        for number in numbers.dropFirst() where beats(number, best) { best = number }
        return best
    }

    /// Half away from zero; `round(x)` is an integer, `round(x, digits)` a float with that many
    /// decimals (0 to 15, as a Double holds about 15 significant digits).
    static func round(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        let number = try arguments.number(0)
        var digits = 0
        if arguments.count > 1 {
            guard case .int(let value) = arguments[1], (0...15).contains(value) else {
                throw arguments.error("expects a number of digits from 0 to 15 as argument 2", argument: 1)
            }
            digits = value
        }
        guard case .double(let value) = number else { return number }
        guard digits > 0 else { return try integer(value.rounded(.toNearestOrAwayFromZero), arguments) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = value * scale
        // Past 2^52 a Double has no fractional digits left to round.
        guard scaled.isFinite, abs(scaled) < 0x1p52 else { return number }
        return .double((scaled.rounded(.toNearestOrAwayFromZero)) / scale)
    }

    static func floor(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        let number = try arguments.number(0)
        guard case .double(let value) = number else { return number }
        return try integer(value.rounded(.down), arguments)
    }

    static func ceil(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        let number = try arguments.number(0)
        guard case .double(let value) = number else { return number }
        return try integer(value.rounded(.up), arguments)
    }

    /// An integral Double as an integer, or an error when it is out of the integers' range.
    static func integer(_ value: Double, _ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        guard let integer = Int(exactly: value) else {
            throw arguments.error("gives \(JSONValue.double(value).compactJSON), which is out of the range of integers", argument: 0)
        }
        return .int(integer)
    }
}
