@testable import ApexLLM
import Testing

@Suite struct URLBuilderTests {
    @Test func queryIsEncodedAndAppendedAfterTheURLsOwnQuery() throws {
        let url = try URLBuilder.build(url: "https://api.example/v1/search?page=2#top", query: [("q", "a&b=c d/é"), ("tag", "x"), ("tag", "y")])
        #expect(url == "https://api.example/v1/search?page=2&q=a%26b%3Dc%20d%2F%C3%A9&tag=x&tag=y")
    }

    @Test func aURLWithoutQueryGetsOne() throws {
        #expect(try URLBuilder.build(url: "http://127.0.0.1:8080/x", query: [("a b", "1")]) == "http://127.0.0.1:8080/x?a%20b=1")
        #expect(try URLBuilder.build(url: "http://h/x?", query: [("a", "1")]) == "http://h/x?a=1")
        #expect(try URLBuilder.build(url: "http://h/x", query: []) == "http://h/x")
    }

    @Test func charactersThatCannotAppearInAURLAreEncodedAndEscapesKept() throws {
        #expect(try URLBuilder.build(url: "https://h/a b?q=café 100%&r=%41", query: []) == "https://h/a%20b?q=caf%C3%A9%20100%25&r=%41")
    }

    @Test(arguments: [
        ("api.example/x", "is not an absolute URL"),
        ("ftp://files.example/x", "only http and https"),
        ("https:///path", "has no host"),
        ("", "is not an absolute URL"),
        ("http://[::1", "is not a valid URL"),
    ])
    func invalidURLsAreRefusedWithAMessageNamingThem(url: String, phrase: String) {
        #expect {
            try URLBuilder.build(url: url, query: [])
        } throws: { error in
            let message = (error as? URLBuilder.Invalid)?.message ?? ""
            return message.contains(phrase) && message.contains("\"\(url)\"")
        }
    }

    @Test func schemesAreCaseInsensitive() throws {
        #expect(try URLBuilder.build(url: "HTTPS://h/x", query: []).hasSuffix("//h/x"))
    }
}
