import ApexDSL

/// The canonical JSON text of a value: what the definition hash is computed over, so its format
/// is frozen with ``Plan/formatVersion``. (It does not reuse `JSONValue.compactJSON`, which
/// keeps the written key order and may change with the needs of payloads and messages.)
///
/// - Object keys are sorted by Unicode scalar values (byte order of their UTF-8); the order they
///   were written in does not matter.
/// - No whitespace between tokens.
/// - Strings escape `"`, `\` and the control characters below U+0020 (as `\n`, `\r`, `\t` or
///   `\u00XX`); everything else is written as is, in UTF-8.
/// - Integers are written in decimal; a double with an integral value below 2^53 is written as
///   the integer (`1.0` and `1` are the same number); other doubles in Swift's shortest
///   round-tripping form; NaN and infinities (not JSON) as `null`.
public enum CanonicalJSON {
    /// The canonical text of `value`.
    public static func text(of value: JSONValue) -> String {
        var out = ""
        write(value, to: &out)
        return out
    }

    private static func write(_ value: JSONValue, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .double(let number): out += text(of: number)
        case .string(let string): writeString(string, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                write(item, to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            let sorted = members.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            for (index, key) in sorted.enumerated() {
                if index > 0 { out += "," }
                writeString(key, to: &out)
                out += ":"
                write(members[key] ?? .null, to: &out)
            }
            out += "}"
        }
    }

    private static func text(of number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number == number.rounded(), abs(number) < 9_007_199_254_740_992 { return String(Int64(number)) }
        return "\(number)"
    }

    private static func writeString(_ string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
