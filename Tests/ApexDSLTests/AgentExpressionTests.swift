import Foundation
import Testing

@testable import ApexDSL

/// Expressions of agent steps: `args` in tool fields, typed by the tool's `input`; `args`
/// elsewhere; `secrets` in tool fields; the agent's output read by later steps.
@Suite struct AgentExpressionTests {
    /// `line:column: severity: message [rule]` of each diagnostic of `yaml`.
    static func diagnostics(_ yaml: String, path: String = "agent.yaml") -> [String] {
        WorkflowValidator.validate(data: Data(yaml.utf8), path: path).diagnostics.map {
            "\($0.range.start.line):\($0.range.start.column): \($0.severity.rawValue): \($0.message) [\($0.rule.rawValue)]"
        }
    }

    /// A workflow whose one agent has the tools written in `tools` (indented as list items of
    /// `tools:`, lines 8 on).
    static func agent(tools: String, after: String = "") -> String {
        """
        apex: 1
        name: t
        llm: {provider: openai, model: gpt-4o}
        steps:
          - id: a
            agent:
              prompt: Find it.
              tools:
        \(tools)
        \(after)
        """
    }

    @Test func argsIsTypedByTheToolInput() {
        let yaml = Self.agent(tools: """
                    - name: open
                      input: {type: object, properties: {id: {type: string}}}
                      http: {url: 'https://x.example/${{ args.idd }}'}
                    - name: closed
                      input: {type: object, additionalProperties: false, properties: {id: {type: string}}}
                      http: {url: 'https://x.example/${{ args.id }}', headers: {X-Id: '${{ args.idd }}'}}
                    - name: nothing
                      http: {url: 'https://x.example/${{ args.id }}'}
                    - name: number
                      input: {type: object, properties: {n: {type: integer}}}
                      workflow: {name: child, input: {n: '${{ args.n.value }}'}}
            """)
        #expect(Self.diagnostics(yaml) == [
            "11:51: warning: `args` does not declare a property \"idd\"; did you mean \"id\"? [unknown-property]",
            "14:85: error: `args` has no property \"idd\"; did you mean \"id\"? [unknown-property]",
            "16:51: warning: `args` does not declare a property \"id\" [unknown-property]",
            "19:58: error: `args.n` is an integer; it has no property \"value\" [unknown-property]",
        ])
    }

    @Test func argsOutsideAToolFieldIsAnUnknownContext() {
        let yaml = """
            apex: 1
            name: t
            llm: {provider: openai, model: gpt-4o}
            steps:
              - id: a
                agent:
                  prompt: 'Look up ${{ args.id }}.'
                  tools:
                    - mcp: {command: [python3, server.py], env: {ID: '${{ args.id }}'}}
              - id: b
                set: {x: '${{ args }}'}
            """
        #expect(Self.diagnostics(yaml) == [
            "7:28: error: `args` (the arguments the model called a tool with) is only defined in the fields of an agent's `http` and `workflow` tools; it is used in `prompt` here [unknown-context]",
            "9:63: error: `args` (the arguments the model called a tool with) is only defined in the fields of an agent's `http` and `workflow` tools; it is used in `mcp.env` here [unknown-context]",
            "11:19: error: `args` (the arguments the model called a tool with) is only defined in the fields of an agent's `http` and `workflow` tools; it is used in `x` here [unknown-context]",
        ])
    }

    @Test func aMisspeltContextInAToolFieldIsToldOfArgs() {
        let yaml = Self.agent(tools: """
                    - name: find
                      input: {type: object, properties: {id: {type: string}}}
                      http: {url: 'https://x.example/${{ arg.id }}'}
            """)
        #expect(Self.diagnostics(yaml) == [
            "11:46: error: unknown context \"arg\"; did you mean \"args\"? (expressions start from input, vars, steps, run, secrets, args) [unknown-context]",
        ])
    }

    @Test func secretsAreForCallsNotForAChildsInput() {
        let yaml = Self.agent(tools: """
                    - name: find
                      http: {url: 'https://x.example/', headers: {Authorization: 'Bearer ${{ secrets.TOKEN }}'}}
                    - name: child
                      workflow: {name: child, input: {token: '${{ secrets.TOKEN }}'}}
                    - mcp: {command: [python3, server.py], env: {KEY: '${{ secrets.KEY }}'}}
            """)
        #expect(Self.diagnostics(yaml) == [
            "12:55: error: `secrets` can only be used in the fields of calls (`http`, `llm` and `agent` steps, `http` tools, `mcp` env), where they are resolved at call time and never stored; it is used in `child.input` here [secrets-outside-call]",
        ])
    }

    @Test func aToolFieldReadsOnlyStepsThatRanBeforeTheAgent() {
        let yaml = Self.agent(tools: """
                    - name: find
                      http: {url: '${{ steps.b.output.url }}'}
            """, after: """
              - id: b
                set: {url: 'https://x.example/'}
            """)
        #expect(Self.diagnostics(yaml) == [
            "10:34: warning: step \"b\" may not have run when `find.url` is evaluated: not every path to this point passes through it; add a default with `??` if that is intended [step-not-yet-run]",
        ])
    }

    @Test func laterStepsReadTheAgentsOutputByItsSchema() {
        let yaml = """
            apex: 1
            name: t
            llm: {provider: openai, model: gpt-4o}
            steps:
              - id: a
                agent:
                  prompt: Why?
                  schema: {type: object, additionalProperties: false, required: [cause], properties: {cause: {type: string}}}
              - id: plain
                agent: {prompt: Why?}
              - id: b
                set:
                  cause: '${{ steps.a.output.data.cause }}'
                  typo: '${{ steps.a.output.data.caus }}'
                  turns: '${{ steps.a.output.turn }}'
                  tokens: '${{ steps.a.output.usage.input_tokens + steps.a.output.tool_calls }}'
                  none: '${{ steps.plain.output.data.cause }}'
            """
        #expect(Self.diagnostics(yaml) == [
            "14:38: error: `steps.a.output.data` has no property \"caus\"; did you mean \"cause\"? [unknown-property]",
            "15:34: error: `steps.a.output` has no property \"turn\"; did you mean \"turns\"? [unknown-property]",
            "17:42: error: `steps.plain.output.data` is always null: agent step \"plain\" has no `schema`, so its data is null [unknown-property]",
        ])
    }

    @Test func aLoopElementCannotBeNamedArgs() {
        let yaml = """
            apex: 1
            name: t
            steps:
              - id: each
                foreach:
                  in: [1, 2]
                  as: args
                  steps:
                    - id: a
                      set: {x: 1}
            """
        #expect(Self.diagnostics(yaml) == [
            "7:11: error: \"as\" must be a name matching ^[a-z_][a-z0-9_]{0,62}$ that is not a context (input, vars, steps, run, secrets, args, index) [invalid-value]",
        ])
    }
}
