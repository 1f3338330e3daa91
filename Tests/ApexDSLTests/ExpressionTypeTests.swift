import Foundation
import Testing

@testable import ApexDSL

/// The types of expressions, as `unknown-property` checks them: what it catches, with the
/// column of the accessor at fault, and, as much, what it must leave alone.
@Suite struct ExpressionTypeTests {
    /// A workflow whose last step sets `x` to `expression` (written inside YAML double quotes,
    /// so without `"` or `\`), after steps of every known shape.
    static func workflow(_ expression: String) -> String {
        """
        apex: 1
        name: t
        llm: {provider: openai, model: gpt-4o-mini}
        input:
          type: object
          additionalProperties: false
          properties:
            x: {}
            n: {type: integer}
            s: {type: string}
            flag: {type: boolean}
            tags: {type: array, items: {type: string}}
            plan: {type: string, enum: [free, pro]}
        vars:
          rounds: 0
          outcome: pending
        steps:
          - id: classify
            llm:
              prompt: hi
              schema:
                type: object
                additionalProperties: false
                required: [category]
                properties:
                  category: {type: string, enum: [bug, billing, other]}
                  score: {type: number}
                  items: {type: array, items: {type: object, additionalProperties: false, properties: {name: {type: string}}}}
                  extra: {type: object, properties: {a: {type: string}}}
          - id: plain
            llm: {prompt: hi}
          - id: fetch
            http: {url: 'https://x.example'}
          - id: bump
            set: {rounds: '${{ vars.rounds + 1 }}', outcome: sent}
          - id: t
            set: {x: "${{ \(expression) }}"}
        """
    }

    /// The column where the expression starts on its line (`    set: {x: "${{ `).
    static let expressionColumn = 19

    /// `column: severity: message [rule]` of each diagnostic of the expression, its column
    /// counted from the expression's first character (1).
    static func problems(_ expression: String) -> [String] {
        let yaml = workflow(expression)
        let line = yaml.split(separator: "\n", omittingEmptySubsequences: false).count
        return WorkflowValidator.validate(data: Data(yaml.utf8), path: "t.yaml").diagnostics.map {
            let column = $0.range.start.line == line ? "\($0.range.start.column - expressionColumn + 1)" : "line \($0.range.start.line)"
            return "\(column): \($0.severity.rawValue): \($0.message) [\($0.rule.rawValue)]"
        }
    }

    static func diagnostics(_ yaml: String, path: String = "t.yaml") -> [String] {
        WorkflowValidator.validate(data: Data(yaml.utf8), path: path).diagnostics.map {
            "\($0.range.start.line):\($0.range.start.column): \($0.severity.rawValue): \($0.message) [\($0.rule.rawValue)]"
        }
    }

    // MARK: Properties

    @Test func propertiesThatCannotExist() {
        #expect(Self.problems("steps.classify.output.data.categroy") == [
            "28: error: `steps.classify.output.data` has no property \"categroy\"; did you mean \"category\"? [unknown-property]",
        ])
        #expect(Self.problems("steps.classify.output.data.cat") == [
            "28: error: `steps.classify.output.data` has no property \"cat\" (it has: category, extra, items, score) [unknown-property]",
        ])
        #expect(Self.problems("steps.classify.output.data.extra.b") == [
            "34: warning: `steps.classify.output.data.extra` does not declare a property \"b\"; did you mean \"a\"? [unknown-property]",
        ])
        #expect(Self.problems("steps.classify.output.data.items[0].nam") == [
            "37: error: `steps.classify.output.data.items[0]` has no property \"nam\"; did you mean \"name\"? [unknown-property]",
        ])
        #expect(Self.problems("steps.classify.output.data.items.*.nam") == [
            "36: error: `steps.classify.output.data.items.*` has no property \"nam\"; did you mean \"name\"? [unknown-property]",
        ])
        #expect(Self.problems("(steps.classify.output.data ?? {}).categry") == [
            "36: error: the value has no property \"categry\"; did you mean \"category\"? [unknown-property]",
        ])
        #expect(Self.problems("vars.rounds.x") == ["13: error: `vars.rounds` is an integer; it has no property \"x\" [unknown-property]"])
        #expect(Self.problems("steps.bump.output.roundz") == [
            "19: error: `steps.bump.output` has no property \"roundz\"; did you mean \"rounds\"? [unknown-property]",
        ])
        #expect(Self.problems("split(input.s, ',').first") == [
            "21: error: `split(…)` is a list; it has no property \"first\" (use [index], or .*.first for every element) [unknown-property]",
        ])
    }

    @Test func propertiesThatMayExistAreLeftAlone() {
        for expression in [
            "input.x.y", "fromJSON(input.s).anything", "steps.fetch.output.body.a.b", "steps.fetch.output.headers.content-type",
            "steps.fetch.output.headers['x-request-id']", "steps.classify.output.data.extra.a", "steps.nope.output.x",
            "(steps.classify.output.data ?? fromJSON(input.s)).whatever", "steps.classify.error.details.anything",
        ] {
            #expect(Self.problems(expression).allSatisfy { $0.hasSuffix("[unknown-step]") }, "\(expression)")
        }
    }
}
