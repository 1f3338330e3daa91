/// Reads one JSON object a member at a time, in place, for a caller that knows what the members
/// mean (a stored event, 50,000 of them when a long run is loaded): keys come as their raw
/// bytes, with no `String` and no dictionary for the object itself, and each value is parsed
/// as the caller asks.
///
/// It reads only the plain form: a key or a string read with ``readPlainString()`` that has
/// an escape is refused with an error, as is anything that is not valid JSON. A caller that
/// must report malformed text exactly falls back to `JSONValue(parsingUTF8:)` on any error.
public struct JSONObjectReader {
    private var parser: JSONTextParser
    private var readMember = false

    /// A reader of `bytes`, which must stay valid while it reads (and while the returned raw
    /// bytes are used).
    public init(_ bytes: UnsafeRawBufferPointer) {
        parser = JSONTextParser(bytes.bindMemory(to: UInt8.self))
    }

    /// Reads the `{` that opens the object.
    public mutating func enterObject() throws {
        parser.skipWhitespace()
        guard parser.position < parser.bytes.count, parser.bytes[parser.position] == UInt8(ascii: "{") else {
            throw parser.fail("expected an object")
        }
        parser.position += 1
        // The members' values are one level deep, as when the whole text is parsed, so the
        // depth limit falls at the same place.
        parser.depth = 1
    }

    /// The next member's key as raw bytes (the text between its quotes), with its `:` read;
    /// nil once the closing `}` is read.
    public mutating func nextKey() throws -> UnsafeBufferPointer<UInt8>? {
        parser.skipWhitespace()
        guard parser.position < parser.bytes.count else { throw parser.fail("unexpected end of text") }
        if parser.bytes[parser.position] == UInt8(ascii: "}") {
            parser.position += 1
            return nil
        }
        if readMember {
            guard parser.bytes[parser.position] == UInt8(ascii: ",") else { throw parser.fail("expected ',' or '}'") }
            parser.position += 1
            parser.skipWhitespace()
        }
        readMember = true
        let key = try plainString()
        parser.skipWhitespace()
        guard parser.position < parser.bytes.count, parser.bytes[parser.position] == UInt8(ascii: ":") else {
            throw parser.fail("expected ':'")
        }
        parser.position += 1
        return key
    }

    /// The current member's value.
    public mutating func readValue() throws -> JSONValue {
        try parser.parseValue()
    }

    /// The current member's value when it is a string without escapes, as the raw bytes
    /// between its quotes (not checked as UTF-8); an error for any other value.
    public mutating func readPlainString() throws -> UnsafeBufferPointer<UInt8> {
        parser.skipWhitespace()
        return try plainString()
    }

    /// Checks that only whitespace follows the object.
    public mutating func finish() throws {
        parser.skipWhitespace()
        guard parser.position == parser.bytes.count else { throw parser.fail("unexpected text after the value") }
    }

    private mutating func plainString() throws -> UnsafeBufferPointer<UInt8> {
        let bytes = parser.bytes
        guard parser.position < bytes.count, bytes[parser.position] == UInt8(ascii: "\"") else { throw parser.fail("expected a string") }
        let start = parser.position + 1
        var end = start
        while end < bytes.count {
            switch bytes[end] {
            case UInt8(ascii: "\""):
                parser.position = end + 1
                return UnsafeBufferPointer(rebasing: bytes[start..<end])
            case UInt8(ascii: "\\"), 0..<0x20:
                throw parser.fail("not a plain string")
            default:
                end += 1
            }
        }
        throw parser.fail("unterminated string")
    }
}
