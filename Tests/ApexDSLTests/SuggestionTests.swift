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

    @Test func prefersTheClosestThenTheFirst() {
        #expect(Suggestion.closest(to: "stepx0", in: ["end", "step40", "step0", "stepx"]) == "step40")
        #expect(Suggestion.closest(to: "stepx0", in: ["end", "step0", "step40", "stepx"]) == "step0")
        #expect(Suggestion.closest(to: "revew", in: ["draft", "reveal", "review"]) == "review")
    }

    @Test func ignoresCaseAndCountsScalars() {
        #expect(Suggestion.closest(to: "Draft", in: ["DRAFT", "draft"]) == "DRAFT")
        #expect(Suggestion.closest(to: "résumé", in: ["resume", "RÉSUMÉS"]) == "RÉSUMÉS")
        #expect(Suggestion.closest(to: "naïve", in: ["naive"]) == "naive")
    }

    @Test func examinesAtMostMaxCandidates() {
        let filler = (0..<Suggestion.maxCandidates - 1).map { "zzzzzzzz\($0)" }
        #expect(Suggestion.closest(to: "review", in: filler + ["reviews"]) == "reviews")
        #expect(Suggestion.closest(to: "review", in: filler + ["zz", "reviews"]) == nil)
    }
}
