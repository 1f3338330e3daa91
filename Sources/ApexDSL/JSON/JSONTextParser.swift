import OrderedCollections

/// An error in JSON text: what was expected and the byte offset where it went wrong.
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let offset: Int
    public var description: String { "invalid JSON at offset \(offset): \(message)" }
}

/// A strict RFC 8259 parser that keeps integers exact and key order, with a depth limit so that
/// hostile input cannot overflow the stack.
///
/// It reads the caller's buffer in place (a history read back is 50,000 bodies, each read
/// straight from SQLite's row); every read is preceded by a check of `position` against
/// `bytes.count`.
struct JSONTextParser {
    static let maxDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var depth = 0
    /// The members of the objects being parsed, innermost last. Each object collects its
    /// members here and copies them once into a dictionary of the right size, instead of
    /// growing two arrays member by member (most stored events are objects of 6 to 9 members).
    private var pendingKeys: [String] = []
    private var pendingValues: [JSONValue] = []

    /// A parser of `bytes`, which must stay valid while it parses.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw fail("unexpected text after the value") }
        return value
    }

    func fail(_ message: String) -> JSONParseError {
        JSONParseError(message: message, offset: position)
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw fail("unexpected end of text") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try nested { try $0.parseObject() }
        case UInt8(ascii: "["): return try nested { try $0.parseArray() }
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected character")
        }
    }

    private mutating func nested(_ body: (inout JSONTextParser) throws -> JSONValue) throws -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw fail("nested deeper than \(Self.maxDepth) levels") }
        return try body(&self)
    }

    private mutating func expectWord(_ word: String) throws {
        let w = Array(word.utf8)
        guard position + w.count <= bytes.count, Array(bytes[position..<position + w.count]) == w else {
            throw fail("unexpected character")
        }
        position += w.count
    }

    private mutating func parseObject() throws -> JSONValue {
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object([:])
        }
        if pendingKeys.capacity == 0 {
            // Room for an event's members and those of its nested objects, allocated once per
            // document rather than grown an element at a time, and only for a document with an
            // object to parse (a stored event read member by member may have none).
            pendingKeys.reserveCapacity(16)
            pendingValues.reserveCapacity(16)
        }
        let first = pendingKeys.count
        defer {
            pendingKeys.removeSubrange(first...)
            pendingValues.removeSubrange(first...)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            position += 1
            let value = try parseValue()
            pendingKeys.append(key)
            pendingValues.append(value)
            skipWhitespace()
            guard position < bytes.count else { throw fail("unexpected end of text") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; break }
            throw fail("expected ',' or '}'")
        }
        // Assigned one by one, so a repeated key keeps its first place and its last value.
        var members = OrderedDictionary<String, JSONValue>(minimumCapacity: pendingKeys.count - first)
        for index in first..<pendingKeys.count { members[pendingKeys[index]] = pendingValues[index] }
        return .object(members)
    }

    private mutating func parseArray() throws -> JSONValue {
        position += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            items.append(try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw fail("unexpected end of text") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
            throw fail("expected ',' or ']'")
        }
    }

    private mutating func parseNumber() throws -> JSONValue {
        let start = position
        var isInteger = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw fail("expected a digit") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw fail("expected a digit") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else { throw fail("expected a digit") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        // An integer of at most 18 characters fits in Int: its digits are summed directly
        // rather than through a String (seq, visit and attempt are in every event).
        if isInteger, position - start <= 18 {
            let negative = bytes[start] == UInt8(ascii: "-")
            var value = 0
            for index in (negative ? start + 1 : start)..<position { value = value * 10 + Int(bytes[index] &- UInt8(ascii: "0")) }
            return .int(negative ? -value : value)
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isInteger, let int = Int(text) { return .int(int) }
        guard let double = Double(text) else { throw fail("invalid number") }
        return .double(double)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// A string's text, decoded a run of plain bytes at a time: a string without escapes (the
    /// usual case) is one `String(decoding:)` of its bytes.
    private mutating func parseString() throws -> String {
        position += 1
        var text = ""
        var chunkStart = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let chunk = String(decoding: bytes[chunkStart..<position], as: UTF8.self)
                position += 1
                guard !text.isEmpty else { return chunk }
                text += chunk
                return text
            }
            if byte < 0x20 { throw fail("control character in string") }
            if byte == UInt8(ascii: "\\") {
                text += String(decoding: bytes[chunkStart..<position], as: UTF8.self)
                position += 1
                guard position < bytes.count else { break }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""): text.unicodeScalars.append("\"")
                case UInt8(ascii: "\\"): text.unicodeScalars.append("\\")
                case UInt8(ascii: "/"): text.unicodeScalars.append("/")
                case UInt8(ascii: "b"): text.unicodeScalars.append("\u{8}")
                case UInt8(ascii: "f"): text.unicodeScalars.append("\u{C}")
                case UInt8(ascii: "n"): text.unicodeScalars.append("\n")
                case UInt8(ascii: "r"): text.unicodeScalars.append("\r")
                case UInt8(ascii: "t"): text.unicodeScalars.append("\t")
                case UInt8(ascii: "u"): text.unicodeScalars.append(try parseUnicodeEscape())
                default: throw fail("invalid escape")
                }
                chunkStart = position
                continue
            }
            position += 1
        }
        throw fail("unterminated string")
    }

    private mutating func parseHex4() throws -> UInt32 {
        guard position + 4 <= bytes.count,
            let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
        else { throw fail("invalid \\u escape") }
        position += 4
        return value
    }

    private mutating func parseUnicodeEscape() throws -> Unicode.Scalar {
        let high = try parseHex4()
        if (0xD800...0xDBFF).contains(high) {
            guard position + 2 <= bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
            else { throw fail("unpaired surrogate") }
            position += 2
            let low = try parseHex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired surrogate") }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
        }
        guard let scalar = Unicode.Scalar(high) else { throw fail("unpaired surrogate") }
        return scalar
    }
}
