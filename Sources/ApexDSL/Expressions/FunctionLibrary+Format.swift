extension FunctionLibrary {
    /// `format('{0} and {1}', a, b)`: placeholders are `{` digits `}`, replaced by the argument
    /// rendered as in interpolation; `{{` and `}}` stand for literal braces.
    static func format(_ arguments: FunctionArguments) throws(ExpressionError) -> JSONValue {
        let scalars = Array(try arguments.string(0).unicodeScalars)
        var out = String.UnicodeScalarView()
        var position = 0
        while position < scalars.count {
            let scalar = scalars[position]
            let next = position + 1 < scalars.count ? scalars[position + 1] : nil
            if (scalar == "{" || scalar == "}") && next == scalar {
                out.append(scalar)
                position += 2
            } else if scalar == "{" {
                let digits = scalars[(position + 1)...].prefix { $0 >= "0" && $0 <= "9" }
                let close = position + 1 + digits.count
                guard !digits.isEmpty, close < scalars.count, scalars[close] == "}" else {
                    throw arguments.error(
                        "has a \"{\" that does not start a placeholder such as {0}; write \"{{\" for a literal \"{\"", argument: 0)
                }
                let index = Int(String(String.UnicodeScalarView(digits))) ?? Int.max
                guard index < arguments.count - 1 else {
                    let given = arguments.count - 1
                    throw arguments.error(
                        "has no value for {\(String(String.UnicodeScalarView(digits)))}: \(given) \(given == 1 ? "value was" : "values were") given",
                        argument: 0)
                }
                out.append(contentsOf: arguments[index + 1].interpolated.unicodeScalars)
                position = close + 1
            } else if scalar == "}" {
                throw arguments.error("has a lone \"}\"; write \"}}\" for a literal \"}\"", argument: 0)
            } else {
                out.append(scalar)
                position += 1
            }
        }
        return .string(String(out))
    }
}
