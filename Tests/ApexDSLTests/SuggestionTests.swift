import Testing

@testable import ApexDSL

@Suite struct SuggestionTests {
    @Test func suggestsCloseWords() {
        #expect(Suggestion.closest(to: "drafts", in: ["draft", "send", "review"]) == "draft")
        #expect(Suggestion.closest(to: "lenght", in: ["length", "lower"]) == "length")
        #expect(Suggestion.closest(to: "stpes", in: ["steps", "input"]) == "steps")
    }

    @Test func staysQuietForDistantWords() {
        #expect(Suggestion.closest(to: "banana", in: ["draft", "send"]) == nil)
        #expect(Suggestion.closest(to: "x", in: ["y"]) == "y")
        #expect(Suggestion.didYouMean("zzzzzz", in: ["a"]) == "")
    }
}
