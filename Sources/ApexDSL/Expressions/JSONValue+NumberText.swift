extension JSONValue {
    /// Reads a number written as in JSON, with an optional leading `+`: an `.int` when it is an
    /// integer that fits, else a finite `.double`; nil for anything else (`inf`, `nan`, hex,
    /// `1.`, empty text). Used by the expression lexer and by `int()` and `float()`.
    init?(numberText text: String) {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "+" || scalars.first == "-" { scalars = scalars.dropFirst() }
        func digits() -> Bool {
            let count = scalars.prefix { $0 >= "0" && $0 <= "9" }.count
            scalars = scalars.dropFirst(count)
            return count > 0
        }
        guard digits() else { return nil }
        var isInteger = true
        if scalars.first == "." {
            scalars = scalars.dropFirst()
            isInteger = false
            guard digits() else { return nil }
        }
        if scalars.first == "e" || scalars.first == "E" {
            scalars = scalars.dropFirst()
            isInteger = false
            if scalars.first == "+" || scalars.first == "-" { scalars = scalars.dropFirst() }
            guard digits() else { return nil }
        }
        guard scalars.isEmpty else { return nil }
        if isInteger, let value = Int(text) {
            self = .int(value)
        } else if let value = Double(text), value.isFinite {
            self = .double(value)
        } else {
            return nil
        }
    }
}
