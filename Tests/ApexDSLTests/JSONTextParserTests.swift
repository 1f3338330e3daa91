import Testing

@testable import ApexDSL

@Suite struct JSONTextParserStringTests {
    @Test(arguments: [
        (#""""#, ""),
        (#""plain""#, "plain"),
        (#""café ☕ 𝄞""#, "café ☕ 𝄞"),
        (#""a\"b\\c\/d""#, "a\"b\\c/d"),
        (#""\n\r\t\b\f""#, "\n\r\t\u{8}\u{C}"),
        (#""\u00e9t\u00E9""#, "été"),
        (#""\ud834\udd1e end""#, "𝄞 end"),
        (#""é\n""#, "é\n"),
        (#""\n""#, "\n"),
        (#""e\u0301""#, "e\u{301}"),
    ])
    func decodesStrings(json: String, expected: String) throws {
        #expect(try JSONValue(parsing: json) == .string(expected))
    }

    @Test func keysAndValuesRoundTrip() throws {
        let value: JSONValue = ["k\"ey": "line\none", "ünï": ["x\\y", "", "\u{1}"]]
        #expect(try JSONValue(parsing: value.compactJSON) == value)
    }

    @Test(arguments: [#""open"#, #""bad \x escape""#, "\"tab\there\"", #""\ud834 lone""#])
    func refusesBrokenStrings(json: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: json) }
    }
}
