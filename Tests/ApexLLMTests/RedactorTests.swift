import ApexDSL
import ApexEngine
import ApexLLM
import Testing

@Suite struct RedactorTests {
    @Test func masksEverySecretInMessageAndDetails() {
        let redactor = Redactor(values: ["sk-live-123456", "hunter22"])
        let error = RunError(type: "http.status", message: "GET https://x/?key=sk-live-123456 failed (hunter22)",
                             details: ["body": "token sk-live-123456", "nested": ["hunter22", 3]])
        let scrubbed = redactor.scrub(error)
        #expect(scrubbed.message == "GET https://x/?key=*** failed (***)")
        #expect(scrubbed.details == ["body": "token ***", "nested": ["***", 3]])
        #expect(scrubbed.type == "http.status")
    }

    @Test func masksTheLongerOfOverlappingSecretsWhole() {
        #expect(Redactor(values: ["abcd", "abcdefgh"]).scrub("x abcdefgh y abcd") == "x *** y ***")
    }

    @Test func leavesVeryShortValuesAlone() {
        #expect(Redactor(values: ["a", "", "xyz"]).scrub("a xyz banana") == "a xyz banana")
    }

    @Test func masksPercentEncodedValuesAsInAQuery() {
        #expect(Redactor(values: ["a b&c"]).scrub("https://h/x?k=a%20b%26c and a b&c") == "https://h/x?k=*** and ***")
    }

    @Test func masksObjectKeysToo() {
        let error = RunError(type: "t", message: "m", details: ["s3cr3t": true])
        #expect(Redactor(values: ["s3cr3t"]).scrub(error).details == ["***": true])
    }
}
