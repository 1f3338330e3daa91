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

@Suite struct JSONTextParserObjectAndNumberTests {
    @Test func aRepeatedKeyKeepsItsFirstPlaceAndItsLastValue() throws {
        let value = try JSONValue(parsing: #"{"a": 1, "b": {"c": [1, {"d": 2}], "e": {}}, "a": 3}"#)
        #expect(value == ["a": 3, "b": ["c": [1, ["d": 2]], "e": [:]]])
        #expect(value.objectValue?.keys.elements == ["a", "b"])
    }

    @Test func nestedObjectsKeepTheirOwnMembers() throws {
        let json = #"{"seq":3,"output":{"x":{"y":1,"z":2},"w":[{"v":true}]},"last":null}"#
        let value = try JSONValue(parsing: json)
        #expect(value.compactJSON == json)
    }

    @Test(arguments: [
        ("0", JSONValue.int(0)), ("-0", .int(0)), ("42", .int(42)), ("-7", .int(-7)),
        ("999999999999999999", .int(999_999_999_999_999_999)), ("-99999999999999999", .int(-99_999_999_999_999_999)),
        ("9223372036854775807", .int(Int.max)), ("-9223372036854775808", .int(Int.min)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808)), ("1.5", .double(1.5)), ("2e3", .double(2000)),
    ])
    func numbersKeepIntegersExact(json: String, expected: JSONValue) throws {
        #expect(try JSONValue(parsing: json) == expected)
    }

    @Test(arguments: [#"{"a": 1,}"#, #"{"a" 1}"#, #"{"a": 1"#, "{1: 2}", "-", "01"])
    func refusesBrokenObjectsAndNumbers(json: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: json) }
    }
}
