import Foundation
import Testing

@testable import ApexDSL

/// The type checks of expressions (`operator-type`, `argument-type`, `enum-comparison`,
/// `unknown-property`, `condition-type`, `field-type`): what they catch, with the column of the
/// sub-expression at fault, and, as much, what they must leave alone.
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

    static let joinHint = "\"+\" joins two strings, so build mixed text with format(), as in format('{0}{1}', a, b)"

    // MARK: Operators

    @Test func operatorsOnTypesTheyNeverTake() {
        #expect(Self.problems("'a' + 1") == ["1: error: cannot add a string and an integer; \(Self.joinHint) [operator-type]"])
        #expect(Self.problems("-'x'") == ["1: error: cannot negate a string; \"-\" takes a number [operator-type]"])
        #expect(Self.problems("'n=' + input.n") == ["1: error: cannot add a string and an integer; \(Self.joinHint) [operator-type]"])
        #expect(Self.problems("input.s < 1") == [
            "1: error: cannot compare a string with an integer using \"<\"; it takes two numbers or two strings [operator-type]",
        ])
        #expect(Self.problems("input.n * steps.classify.output.data.category") == [
            "1: error: cannot apply \"*\" to an integer and a string [operator-type]",
        ])
        #expect(Self.problems("[1] + [2]") == ["1: error: cannot apply \"+\" to a list and a list [operator-type]"])
    }

    @Test func theColumnIsThatOfTheFailingSubExpression() {
        #expect(Self.problems("length(input.s) + (input.s - 1)") == [
            "19: error: cannot apply \"-\" to a string and an integer [operator-type]",
        ])
        #expect(Self.problems("lower(input.s + 1)") == ["7: error: cannot add a string and an integer; \(Self.joinHint) [operator-type]"])
    }

    @Test func operatorsOnValuesThatMayWorkAreLeftAlone() {
        for expression in [
            "input.x + 1", "steps.classify.output.data.score + 1", "input.s + 'x'", "'a' + 'b'", "input.n / 2 + 0.5",
            "(input.n ?? 'none') + 1", "fromJSON(input.s).a + 1", "steps.fetch.output.body.count + 1", "vars.rounds + 1",
            "steps.bump.output.rounds - 1", "!input.s", "input.s && 1", "input.s || 'x'", "input.flag ? 1 : 'a'",
            "input.s == 'a' || input.n < 3", "split(input.s, ',')[0] + 'x'", "input.tags[0] + '!'", "-input.n", "-input.x",
            "steps.fetch.output.headers.content-type + ';'", "input.s < 'm'", "(steps.classify.output.data.score ?? 'n/a') + 1",
        ] {
            #expect(Self.problems(expression) == [], "\(expression)")
        }
    }

    @Test func accessesThatAlwaysFail() {
        #expect(Self.problems("steps.classify.output.text[0]") == ["1: error: cannot index a string with a number [operator-type]"])
        #expect(Self.problems("steps.fetch.output[0]") == ["1: error: cannot index an object with a number [operator-type]"])
        #expect(Self.problems("input.tags[true]") == ["12: error: an index must be a string or an integer, not a boolean [operator-type]"])
        #expect(Self.problems("input.s.*") == ["1: error: cannot project a string with \".*\"; it takes a list or an object [operator-type]"])
        #expect(Self.problems("input.tags[input.n]") == [])
        #expect(Self.problems("input.x[0]") == [])
    }

    // MARK: Functions

    @Test func argumentsOfTypesAFunctionNeverTakes() {
        #expect(Self.problems("lower(input.n)") == ["7: error: lower() expects a string, not an integer [argument-type]"])
        #expect(Self.problems("contains(input.s, 1)") == ["19: error: contains() expects a string as argument 2, not an integer [argument-type]"])
        #expect(Self.problems("length(steps.fetch.output.status)") == [
            "8: error: length() expects a string, a list or an object, not an integer [argument-type]",
        ])
        #expect(Self.problems("min(split(input.s, ','))") == [
            "5: error: min() expects a list of numbers or a number, not a list of strings [argument-type]",
        ])
        #expect(Self.problems("length(steps.plain.output.data)") == [
            "8: error: length() expects a string, a list or an object, not null (llm step \"plain\" has no `schema`, so its data is null) [argument-type]",
        ])
        #expect(Self.problems("round(steps.classify.output.data.score, 2.5)") == [
            "41: error: round() expects an integer as argument 2, not a number [argument-type]",
        ])
        #expect(Self.problems("keys(input.tags)") == ["6: error: keys() expects an object, not a list of strings [argument-type]"])
    }

    @Test func literalArgumentsAreCheckedByRunningTheCall() {
        #expect(Self.problems("int('abc')") == ["5: error: int() cannot read \"abc\" as a number [argument-type]"])
        #expect(Self.problems("format('{0} of {1}', input.n)") == ["8: error: format() has no value for {1}: 1 value was given [argument-type]"])
        #expect(Self.problems("fromJSON('{')").count == 1)
        #expect(Self.problems("format('{0} of {1}', input.n, input.s)") == [])
    }

    @Test func argumentsThatMayBeRightAreLeftAlone() {
        for expression in [
            "length(input.x)", "length(input.s ?? '')", "join(input.tags, ', ')", "contains(input.tags, 1)", "int(input.s)",
            "min(1, input.n)", "round(steps.classify.output.data.score, 2)", "format('{0}', input.n)", "string(input.tags)",
            "length(steps.classify.output.data.items)", "max(steps.classify.output.data.items.*.name ?? [1])", "toJSON(null)",
            "contains(fromJSON(input.s), 'a')", "join(input.tags)", "values(steps.classify.output.data)",
        ] {
            #expect(Self.problems(expression) == [], "\(expression)")
        }
    }

    // MARK: Comparisons

    @Test func comparisonsWithALiteralTheValueNeverEquals() {
        let category = "`steps.classify.output.data.category` can only be \"bug\", \"billing\", \"other\""
        #expect(Self.problems("steps.classify.output.data.category == 'refund'") == [
            "40: warning: \(category), never \"refund\", so `==` is always false [enum-comparison]",
        ])
        #expect(Self.problems("'refund' != steps.classify.output.data.category") == [
            "1: warning: \(category), never \"refund\", so `!=` is always true [enum-comparison]",
        ])
        #expect(Self.problems("input.plan == 'Pro'") == [
            "15: warning: `input.plan` can only be \"free\", \"pro\", never \"Pro\", so `==` is always false; did you mean \"pro\"? [enum-comparison]",
        ])
        #expect(Self.problems("vars.outcome == 'approved'") == [
            "17: warning: `vars.outcome` can only be \"pending\", \"sent\", never \"approved\", so `==` is always false [enum-comparison]",
        ])
        #expect(Self.problems("steps.fetch.output.status == '200'") == [
            "30: warning: `steps.fetch.output.status` is an integer and \"200\" is a string (`==` never converts), so `==` is always false [enum-comparison]",
        ])
        #expect(Self.problems("(input.flag ? 'a' : 'b') == 'c'") == [
            "29: warning: the value can only be \"a\", \"b\", never \"c\", so `==` is always false [enum-comparison]",
        ])
        #expect(Self.problems("steps.classify.status == 'succeeded'").count == 1)
    }

    @Test func comparisonsThatMayHoldAreLeftAlone() {
        for expression in [
            "steps.classify.output.data.category == 'billing'", "steps.classify.output.data.category == null", "input.x == 'a'",
            "vars.rounds == 1", "steps.classify.output.data.score == 1", "input.n == 2.0", "input.s == input.n", "1 == '1'",
            "steps.classify.status == 'completed'", "vars.outcome != 'sent'", "steps.classify.output.data.category == []",
        ] {
            #expect(Self.problems(expression) == [], "\(expression)")
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

    // MARK: Fields

    @Test func switchCasesThatAreNeverBooleans() {
        let yaml = """
            apex: 1
            name: t
            llm: {provider: openai, model: gpt-4o-mini}
            input: {type: object, properties: {s: {type: string}, x: {}, tags: {type: array}}}
            steps:
              - id: route
                switch:
                  - when: ${{ input.s }}
                    next: end
                  - when: ${{ input.tags }}
                    next: end
                  - when: "yes ${{ input.s == 'a' }}"
                    next: end
                  - when: ${{ input.s == 'a' }}
                    next: end
                  - when: ${{ input.x }}
                    next: end
                  - when: ${{ input.s && input.s != 'a' }}
                    next: end
            """
        #expect(Self.diagnostics(yaml) == [
            "8:19: warning: `when` gives a string, never a boolean; it matches whenever it is not null, 0 or '' (compare it with `==` if that is not what you mean) [condition-type]",
            "10:19: warning: `when` gives a list, never a boolean; a list, even empty, is true, so this case always matches [condition-type]",
            "12:15: warning: `when` gives a string, never a boolean; it matches whenever it is not null, 0 or '' (compare it with `==` if that is not what you mean) [condition-type]",
        ])
    }

    @Test func foreachAndSleepFieldsOfTheWrongType() {
        let yaml = """
            apex: 1
            name: t
            input: {type: object, properties: {s: {type: string}, n: {type: integer}, flag: {type: boolean}, x: {}, tags: {type: array}}}
            steps:
              - id: each
                foreach:
                  in: ${{ input.s }}
                  concurrency: ${{ input.flag }}
                  steps:
                    - id: nap
                      sleep: ${{ input.flag }}
              - id: until
                sleep: {until: '${{ input.n }}'}
              - id: fine
                foreach:
                  in: ${{ input.tags ?? split(input.s, ',') }}
                  concurrency: ${{ input.n }}
                  steps:
                    - id: nap2
                      sleep: ${{ input.s }}
                    - id: nap3
                      sleep: {until: '${{ input.x }}'}
            """
        #expect(Self.diagnostics(yaml) == [
            "7:15: error: foreach `in` gives a string, never a list [field-type]",
            "8:24: error: foreach `concurrency` gives a boolean, never a number [field-type]",
            "11:22: error: `sleep` gives a boolean, never a number of seconds or a duration [field-type]",
            "13:25: error: `sleep.until` gives an integer, never a string (an RFC 3339 time) [field-type]",
        ])
    }

    // MARK: How types flow

    @Test func variablesAreTypedByEveryValueAssignedToThem() {
        let yaml = """
            apex: 1
            name: t
            vars: {count: 0, label: '', items: []}
            steps:
              - id: more
                set: {count: '${{ vars.count + 1 }}', label: 'n=${{ vars.count }}'}
              - id: use
                set:
                  a: ${{ vars.count + vars.label }}
                  b: ${{ vars.items[0] }}
                  c: ${{ vars.label.size }}
            """
        #expect(Self.diagnostics(yaml) == [
            "9:14: error: cannot add an integer and a string; \(Self.joinHint) [operator-type]",
            "11:25: error: `vars.label` is a string; it has no property \"size\" [unknown-property]",
        ])
    }

    @Test func foreachElementsAreTypedByTheirList() {
        let yaml = """
            apex: 1
            name: t
            input: {type: object, properties: {tags: {type: array, items: {type: string}}}}
            steps:
              - id: each
                foreach:
                  in: ${{ input.tags }}
                  as: tag
                  steps:
                    - id: inner
                      foreach:
                        in: '${{ [{n: 1}] }}'
                        steps:
                          - id: use
                            set:
                              a: ${{ tag + index }}
                              b: ${{ item.m }}
                              c: ${{ item.n + 1 }}
            """
        #expect(Self.diagnostics(yaml) == [
            "16:26: error: cannot add a string and an integer; \(Self.joinHint) [operator-type]",
            "17:31: error: `item` has no property \"m\"; did you mean \"n\"? [unknown-property]",
        ])
    }

    @Test func parallelOutputsComeFromTheStepsThatMayEndABranch() {
        let yaml = """
            apex: 1
            name: t
            llm: {provider: openai, model: gpt-4o-mini}
            steps:
              - id: both
                parallel:
                  skipped:
                    - id: ask
                      llm: {prompt: hi}
                    - id: note
                      if: ${{ false }}
                      set: {n: 1}
                  plain:
                    - id: ask2
                      llm: {prompt: hi}
                    - id: note2
                      set: {n: 1}
              - id: use
                set:
                  a: ${{ steps.both.output.skipped.text }}
                  b: ${{ steps.both.output.plain.text }}
            """
        // A skipped last step leaves the output of the step before it.
        #expect(Self.diagnostics(yaml) == [
            "21:38: error: `steps.both.output.plain` has no property \"text\" (it has: n) [unknown-property]",
        ])
    }

    @Test func childWorkflowOutputsAreTypedFromTheChildFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("expression-types-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            apex: 1
            name: child
            input: {type: object, properties: {text: {type: string}}}
            steps:
              - id: a
                set: {n: 1}
            output:
              summary: ${{ input.text }}
              words: ${{ length(split(input.text ?? '', ' ')) }}
            """.write(to: folder.appendingPathComponent("child.yaml"), atomically: true, encoding: .utf8)
        try "apex: 1\nname: quiet\nsteps:\n  - id: a\n    sleep: 1s\n".write(to: folder.appendingPathComponent("quiet.yaml"), atomically: true, encoding: .utf8)
        let yaml = """
            apex: 1
            name: parent
            steps:
              - id: c
                workflow: {file: child.yaml}
              - id: q
                workflow: {file: quiet.yaml}
              - id: n
                workflow: {name: child}
              - id: use
                set:
                  a: ${{ steps.c.output.summry }}
                  b: ${{ steps.c.output.words + '!' }}
                  c: ${{ steps.q.output.x }}
                  d: ${{ steps.n.output.anything + 1 }}
            """
        #expect(Self.diagnostics(yaml, path: folder.appendingPathComponent("parent.yaml").path) == [
            "12:29: error: `steps.c.output` has no property \"summry\"; did you mean \"summary\"? [unknown-property]",
            "13:14: error: cannot add an integer and a string; \(Self.joinHint) [operator-type]",
            "14:29: error: `steps.q.output` is always null: child workflow \"quiet.yaml\" has no `output`, so its output is null [unknown-property]",
        ])
    }
}
