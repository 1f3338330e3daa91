import Foundation
import OrderedCollections

extension JSONValue {
    /// Compact JSON text (no spaces), keys in their order: the rendering of `toJSON`,
    /// of objects interpolated into strings, and of stored payloads.
    public var compactJSON: String {
        var out = ""
        write(to: &out, indent: nil, level: 0)
        return out
    }

    /// JSON text indented by two spaces, for terminals.
    public var prettyJSON: String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out
    }

    private func write(to out: inout String, indent: String?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += JSONValue.render(double: d)
        case .string(let s): JSONValue.writeQuoted(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                JSONValue.newline(&out, indent, level + 1)
                item.write(to: &out, indent: indent, level: level + 1)
            }
            JSONValue.newline(&out, indent, level)
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += "," }
                JSONValue.newline(&out, indent, level + 1)
                JSONValue.writeQuoted(key, to: &out)
                out += indent == nil ? ":" : ": "
                value.write(to: &out, indent: indent, level: level + 1)
            }
            JSONValue.newline(&out, indent, level)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ indent: String?, _ level: Int) {
        guard let indent else { return }
        out += "\n"
        for _ in 0..<level { out += indent }
    }

    /// Renders a double the shortest way that reads back the same; integral values keep a `.0`
    /// only when needed to stay a float (`2.5`, `3.0` → `3`); JSON has no NaN or infinity: null.
    static func render(double d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return "\(d)"
    }

    static func writeQuoted(_ s: String, to out: inout String) {
        out += "\""
        // Most strings (keys, ids, times, plain text) need no escape: appended whole, not
        // scalar by scalar (every stored event is written through here).
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                out += "\\u" + String(format: "%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// Parses JSON text. Integers that fit in `Int` stay integers.
    public init(parsing text: String) throws {
        var text = text
        self = try text.withUTF8 { try JSONValue(parsingUTF8: UnsafeRawBufferPointer($0)) }
    }

    /// Parses JSON text given as UTF-8 bytes, read in place (no copy into a `String` first).
    public init(parsingUTF8 bytes: UnsafeRawBufferPointer) throws {
        var parser = JSONTextParser(bytes.bindMemory(to: UInt8.self))
        self = try parser.parseDocument()
    }
}
