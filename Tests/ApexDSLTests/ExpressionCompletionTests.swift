import Foundation
import Testing

@testable import ApexDSL

/// What `apex lsp` offers while an expression is typed.
@Suite struct ExpressionCompletionTests {
    static let workflow = WorkflowValidator.parse(data: Data("""
        apex: 1
        name: completion
        input: {type: object, properties: {ticket: {type: string}, count: {type: integer}}}
        vars: {round: 0}
        llm: {provider: mock}
        steps:
          - id: classify
            llm:
              prompt: hi
              schema: {type: object, properties: {category: {type: string, enum: [a, b]}}}
          - id: each
            foreach:
              in: "${{ [1, 2] }}"
              as: n
              steps:
                - id: tally
                  set: {total: 1}
        """.utf8), path: "completion.yaml").workflow!

    static func labels(_ prefix: String) -> [String] {
        ExpressionCompletion.items(after: prefix, in: workflow).map(\.label)
    }

    @Test func theStartOfANameOffersContextsAndFunctions() {
        let labels = Self.labels(" ")
        #expect(labels.prefix(4) == ["input", "vars", "steps", "run"])
        #expect(labels.contains("length") && labels.contains("fromJSON"))
    }

    @Test func stepsRecordsOutputsInputAndVarsOfferTheirFields() {
        #expect(Self.labels("steps.") == ["classify", "each", "tally"])
        #expect(Self.labels("steps.classify.").contains("output"))
        #expect(Self.labels("steps.classify.output.") == ["text", "data", "model", "finish_reason", "usage"])
        #expect(Self.labels("steps.classify.output.data.cat") == ["category"])
        #expect(Self.labels("input.") == ["ticket", "count"])
        #expect(Self.labels("vars.") == ["round", "total"])
        #expect(Self.labels("steps.nope.") == [])
    }

    @Test func indexesAndProjectionsAreSkipped() {
        #expect(ExpressionCompletion.trailingPath("x ${{ steps.a.output.items[0].") == ["steps", "a", "output", "items", ""])
        #expect(ExpressionCompletion.trailingPath("a.*.b") == ["a", "b"])
        #expect(ExpressionCompletion.trailingPath(" len") == ["len"])
    }
}
