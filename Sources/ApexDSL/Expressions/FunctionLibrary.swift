/// The functions of docs/language.md, "Functions" (edge cases under "Functions in detail"). All are
/// pure; every wrong argument is an ``ExpressionError`` whose message names the function.
///
/// - `length(x)`: the characters of a string (grapheme clusters, so "é" is 1), the items of a list, the keys of an object.
/// - `contains(string, substring)` (case-sensitive), `contains(list, item)` (deep equality, as `==`).
/// - `startsWith(s, prefix)`, `endsWith(s, suffix)`: case-sensitive. `lower(s)`, `upper(s)`, `trim(s)` (whitespace and newlines).
/// - `split(s, separator)`: a list of strings, empty parts kept; an empty separator splits into characters.
/// - `join(list, separator = ",")`: elements rendered as in interpolation (`null` → empty).
/// - `keys(object)`, `values(object)`: in the object's key order.
/// - `toJSON(x)`: compact JSON. `fromJSON(s)`: the value of JSON text (integers stay integers).
/// - `format(template, args...)`: `{0}`, `{1}`... replaced by the arguments rendered as in interpolation;
///   `{{` and `}}` for literal braces; a placeholder without an argument, or a lone brace, is an error.
/// - `min(...)`, `max(...)`: of several numbers, or of the numbers in one list; the result keeps its type
///   (`min(1, 2.5)` is `1`); an empty list or a non-number is an error.
/// - `round(x)`: half away from zero, an integer; `round(x, digits)` with digits 0 to 15: a float.
/// - `floor(x)`, `ceil(x)`: integers.
/// - `int(x)`: integers as they are, floats truncated toward zero, numeric strings (JSON number syntax,
///   surrounding whitespace allowed) parsed then truncated. `float(x)`: numbers and numeric strings.
/// - `string(x)`: the interpolation rendering. `bool(x)`: `"true"` and `"false"` parse; anything else
///   is its truthiness (so `bool("no")` is true).
public enum FunctionLibrary: Sendable {
    struct Function: Sendable {
        let signature: FunctionSignature
        let body: @Sendable (FunctionArguments) throws(ExpressionError) -> JSONValue
    }

    private static let table: [(name: String, function: Function)] = [
        ("length", Function(signature: .init([.value([.string, .list, .object])], returns: .value(.integer)), body: length)),
        ("contains", Function(signature: .init([
            .init([.value(.string), .value(.string)], returns: .value(.boolean)),
            .init([.list(of: .all), .any], returns: .value(.boolean)),
        ]), body: contains)),
        ("startsWith", Function(signature: .init([.value(.string), .value(.string)], returns: .value(.boolean)), body: startsWith)),
        ("endsWith", Function(signature: .init([.value(.string), .value(.string)], returns: .value(.boolean)), body: endsWith)),
        ("lower", Function(signature: .init([.value(.string)], returns: .value(.string)), body: lower)),
        ("upper", Function(signature: .init([.value(.string)], returns: .value(.string)), body: upper)),
        ("trim", Function(signature: .init([.value(.string)], returns: .value(.string)), body: trim)),
        ("split", Function(signature: .init([.value(.string), .value(.string)], returns: .list(of: .string)), body: split)),
        ("join", Function(signature: .init([
            .init([.list(of: .all)], returns: .value(.string)),
            .init([.list(of: .all), .value(.string)], returns: .value(.string)),
        ]), body: join)),
        ("keys", Function(signature: .init([.value(.object)], returns: .list(of: .string)), body: keys)),
        ("values", Function(signature: .init([.value(.object)], returns: .list(of: .all)), body: values)),
        ("toJSON", Function(signature: .init([.any], returns: .value(.string)), body: toJSON)),
        ("fromJSON", Function(signature: .init([.value(.string)], returns: .any), body: fromJSON)),
        ("format", Function(signature: .init([.value(.string)], repeating: .any, returns: .value(.string)), body: format)),
        ("min", Function(signature: numbers, body: min)),
        ("max", Function(signature: numbers, body: max)),
        ("round", Function(signature: .init([
            .init([.value(.number)], returns: .value(.integer)),
            .init([.value(.number), .value(.integer)], returns: .value(.number)),
        ]), body: round)),
        ("floor", Function(signature: .init([.value(.number)], returns: .value(.integer)), body: floor)),
        ("ceil", Function(signature: .init([.value(.number)], returns: .value(.integer)), body: ceil)),
        ("int", Function(signature: .init([.value([.number, .string])], returns: .value(.integer)), body: int)),
        ("float", Function(signature: .init([.value([.number, .string])], returns: .value(.float)), body: float)),
        ("string", Function(signature: .init([.any], returns: .value(.string)), body: string)),
        ("bool", Function(signature: .init([.any], returns: .value(.boolean)), body: bool)),
    ]

    /// `min` and `max`: one list of numbers, or numbers.
    private static let numbers = FunctionSignature([
        .init([.list(of: .number)], returns: .value(.number)),
        .init([.value(.number)], repeating: .value(.number), returns: .value(.number)),
    ])

    private static let functions = Dictionary(uniqueKeysWithValues: table)

    /// The function names, in the order of docs/language.md, "Functions", for did-you-mean.
    public static let names: [String] = table.map(\.name)

    /// Allowed argument counts (`1...1`, `2...Int.max`), nil for an unknown function.
    public static func arity(of name: String) -> ClosedRange<Int>? {
        functions[name]?.signature.arity
    }

    /// What the function takes and returns, nil for an unknown function.
    public static func signature(of name: String) -> FunctionSignature? {
        functions[name]?.signature
    }

    /// `unknown function "lenght"; did you mean "length"?`
    static func unknownFunctionMessage(_ name: String) -> String {
        "unknown function \"\(name)\"\(Suggestion.didYouMean(name, in: names))"
    }

    /// `join() takes 1 or 2 arguments, not 3`, or nil when the count is allowed.
    static func arityMessage(_ name: String, argumentCount: Int) -> String? {
        guard let arity = arity(of: name), !arity.contains(argumentCount) else { return nil }
        let allowed: String
        if arity.upperBound == Int.max {
            allowed = "at least \(arguments(arity.lowerBound))"
        } else if arity.count == 1 {
            allowed = arguments(arity.lowerBound)
        } else if arity.count == 2 {
            allowed = "\(arity.lowerBound) or \(arguments(arity.upperBound))"
        } else {
            allowed = "\(arity.lowerBound) to \(arguments(arity.upperBound))"
        }
        return "\(name)() takes \(allowed), not \(argumentCount)"
    }

    private static func arguments(_ count: Int) -> String {
        count == 1 ? "1 argument" : "\(count) arguments"
    }

    static func call(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        guard let function = functions[arguments.function] else {
            throw ExpressionError(unknownFunctionMessage(arguments.function), at: arguments.callRange)
        }
        if let message = arityMessage(arguments.function, argumentCount: arguments.count) {
            throw ExpressionError(message, at: arguments.callRange)
        }
        return try function.body(arguments)
    }
}
