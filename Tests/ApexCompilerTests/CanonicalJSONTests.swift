import ApexCompiler
import ApexDSL
import Testing

@Suite struct CanonicalJSONTests {
    @Test func keysAreSortedAtEveryLevelWithoutWhitespace() {
        let value: JSONValue = ["b": ["z": 1, "a": [true, nil]], "a": "x", "B": 2]
        #expect(CanonicalJSON.text(of: value) == #"{"B":2,"a":"x","b":{"a":[true,null],"z":1}}"#)
    }

    @Test func keysSortByUnicodeScalarsNotByLocale() {
        let value: JSONValue = ["é": 1, "z": 2, "Z": 3, "😀": 4, "e": 5]
        #expect(CanonicalJSON.text(of: value) == #"{"Z":3,"e":5,"z":2,"é":1,"😀":4}"#)
    }

    @Test func integralDoublesAreWrittenAsIntegers() {
        #expect(CanonicalJSON.text(of: [1.0, 1, -0.5, 2.5e-7, 1e300]) == "[1,1,-0.5,2.5e-07,1e+300]")
        #expect(CanonicalJSON.text(of: .double(.nan)) == "null")
    }

    @Test func stringsEscapeQuotesBackslashesAndControlCharacters() {
        let value: JSONValue = .string("say \"hi\"\\\n\t\u{1}ünï")
        #expect(CanonicalJSON.text(of: value) == #""say \"hi\"\\\n\t\u0001ünï""#)
    }
}
