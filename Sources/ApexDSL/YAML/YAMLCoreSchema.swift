/// Types plain scalars the way the YAML 1.2 core schema does (not the YAML 1.1 way that
/// turns `yes`, `on` and `no` into booleans).
enum YAMLCoreSchema {
    static func resolve(plain text: String) -> JSONValue {
        // Most plain scalars are words; only these first characters can start a typed value.
        guard let first = text.utf8.first, Self.typedStarts.contains(first) else {
            return text.isEmpty ? .null : .string(text)
        }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        if let int = integer(text) { return .int(int) }
        if isFloat(text), let double = Double(text) { return .double(double) }
        return .string(text)
    }

    private static let typedStarts = Set("~nNtTfF.+-0123456789".utf8)

    /// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`.
    static func integer(_ text: String) -> Int? {
        if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8) }
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
        var digits = Substring(text)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text.hasPrefix("+") ? String(text.dropFirst()) : text)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    static func isFloat(_ text: String) -> Bool {
        var chars = Array(text.utf8)[...]
        if let first = chars.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { chars = chars.dropFirst() }
        func digits() -> Int {
            var count = 0
            while let c = chars.first, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                chars = chars.dropFirst()
                count += 1
            }
            return count
        }
        var mantissaDigits = digits()
        if chars.first == UInt8(ascii: ".") {
            chars = chars.dropFirst()
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else { return false }
        if let e = chars.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            chars = chars.dropFirst()
            if let sign = chars.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { chars = chars.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return chars.isEmpty
    }
}
