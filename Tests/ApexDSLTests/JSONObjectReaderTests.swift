import Testing

@testable import ApexDSL

/// `JSONObjectReader` reads an object member by member, and refuses what is not plain.
@Suite struct JSONObjectReaderTests {
    @Test func readsKeysAndValuesInOrder() throws {
        let members = try Self.read(#" { "a" : 1 , "b":"two", "c" :{"d":[null,true]}, "e":"" } "#)
        #expect(members.map(\.key) == ["a", "b", "c", "e"])
        #expect(members.map(\.value) == [1, "two", ["d": [nil, true]], ""])
    }

    @Test func readsAnEmptyObject() throws {
        #expect(try Self.read("{}").isEmpty)
        #expect(try Self.read(" { } ").isEmpty)
    }

    @Test func givesAPlainStringAsItsBytes() throws {
        try Self.withReader(#"{"at":"2026-11-18T11:06:40.123Z"}"#) { reader in
            try reader.enterObject()
            _ = try reader.nextKey()
            #expect(String(decoding: try reader.readPlainString(), as: UTF8.self) == "2026-11-18T11:06:40.123Z")
            #expect(try reader.nextKey() == nil)
            try reader.finish()
        }
    }

    @Test(arguments: [#"{"a":"x\"y"}"#, #"{"a":7}"#, "{\"a\":\"x\u{1}\"}", #"{"a":"open}"#])
    func refusesAStringThatIsNotPlain(_ text: String) {
        #expect(throws: JSONParseError.self) {
            try Self.withReader(text) { reader in
                try reader.enterObject()
                _ = try reader.nextKey()
                _ = try reader.readPlainString()
            }
        }
    }

    @Test(arguments: ["", "[]", "7", "{", #"{"a"}"#, #"{"a":}"#, #"{"a":1,}"#, #"{,"a":1}"#, #"{"a":1 "b":2}"#, #"{"a\u0062":1}"#,
                      #"{"a":1} x"#, #"{"a":1}}"#, #"{a:1}"#])
    func refusesWhatIsNotAPlainObject(_ text: String) {
        #expect(throws: JSONParseError.self) { try Self.read(text) }
    }

    @Test func limitsNestingAsTheWholeParseDoes() throws {
        let deepest = "[" + String(repeating: "[", count: JSONTextParser.maxDepth - 2) + String(repeating: "]", count: JSONTextParser.maxDepth - 2) + "]"
        #expect(try Self.read(#"{"a":"# + deepest + "}").count == 1)
        #expect(throws: JSONParseError.self) { try Self.read(#"{"a":["# + deepest + "]}") }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: #"{"a":["# + deepest + "]}") }
    }

    static func read(_ text: String) throws -> [(key: String, value: JSONValue)] {
        try withReader(text) { reader in
            var members: [(key: String, value: JSONValue)] = []
            try reader.enterObject()
            while let key = try reader.nextKey() {
                members.append((String(decoding: key, as: UTF8.self), try reader.readValue()))
            }
            try reader.finish()
            return members
        }
    }

    static func withReader<T>(_ text: String, _ body: (inout JSONObjectReader) throws -> T) throws -> T {
        var text = text
        return try text.withUTF8 { bytes in
            var reader = JSONObjectReader(UnsafeRawBufferPointer(bytes))
            return try body(&reader)
        }
    }
}
