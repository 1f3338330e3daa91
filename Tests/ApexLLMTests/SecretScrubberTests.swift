import ApexDSL
import ApexEngine
@testable import ApexLLM
import Testing

@Suite struct SecretScrubberTests {
    let scrubber = SecretScrubber(Secrets(values: ["TOKEN": "s3cr3t", "LONG": "s3cr3t-and-more", "SPACED": "a b&c", "EMPTY": ""]))

    @Test func replacesEveryValueLongestFirst() {
        #expect(scrubber.scrub("Bearer s3cr3t-and-more, s3cr3t") == "Bearer ***, ***")
    }

    @Test func replacesPercentEncodedValuesAsInAQuery() {
        #expect(scrubber.scrub("https://h/x?k=a%20b%26c and a b&c") == "https://h/x?k=*** and ***")
    }

    @Test func anEmptySecretReplacesNothing() {
        #expect(scrubber.scrub("nothing to hide") == "nothing to hide")
    }

    @Test func scrubsEveryStringOfDetails() {
        let details: JSONValue = ["status": 401, "body": "token s3cr3t refused", "list": ["s3cr3t", 1], "s3cr3t": true]
        #expect(scrubber.scrub(details) == ["status": 401, "body": "token *** refused", "list": ["***", 1], "***": true])
    }
}
