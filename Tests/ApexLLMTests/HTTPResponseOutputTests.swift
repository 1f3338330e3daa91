import ApexDSL
@testable import ApexLLM
import NIOHTTP1
import Testing

@Suite struct HTTPResponseOutputTests {
    @Test func headersAreLowercasedAndRepeatedOnesJoined() {
        let headers = HTTPHeaders([("Content-Type", "text/plain"), ("Set-Cookie", "a=1"), ("set-cookie", "b=2")])
        let output = HTTPResponseOutput.make(status: 200, headers: headers, body: Array("hi".utf8))
        #expect(output == ["status": 200, "headers": ["content-type": "text/plain", "set-cookie": "a=1, b=2"], "body": "hi"])
    }

    @Test(arguments: ["application/json", "application/json; charset=utf-8", "Application/Problem+JSON", "application/vnd.api+json"])
    func jsonBodiesAreDecoded(contentType: String) {
        #expect(HTTPResponseOutput.decode(Array(#"{"a":[1,2.5,null]}"#.utf8), contentType: contentType) == ["a": [1, 2.5, nil]])
    }

    @Test func otherBodiesAndUnparsableJSONAreText() {
        #expect(HTTPResponseOutput.decode(Array("[1]".utf8), contentType: "text/plain") == "[1]")
        #expect(HTTPResponseOutput.decode(Array("[1]".utf8), contentType: nil) == "[1]")
        #expect(HTTPResponseOutput.decode(Array("not json".utf8), contentType: "application/json") == "not json")
    }

    @Test func anEmptyBodyIsNullAndInvalidUTF8IsReplaced() {
        #expect(HTTPResponseOutput.decode([], contentType: "application/json") == .null)
        #expect(HTTPResponseOutput.decode([0x61, 0xFF, 0x62], contentType: "text/plain") == "a\u{FFFD}b")
    }
}
