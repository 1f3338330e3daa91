import Foundation
import Testing

@testable import ApexDSL

/// `agent-tool` across tools and steps, `llm-config` and `misplaced-option` for agents, and
/// `child-workflow` for `workflow` tools.
@Suite struct AgentToolRuleTests {
    private func diagnostics(_ yaml: String, path: String = "agent.yaml") -> [String] {
        AgentExpressionTests.diagnostics(yaml, path: path)
    }

    @Test func aRepeatedToolNameIsReportedAtTheSecond() {
        let yaml = AgentExpressionTests.agent(tools: """
                    - name: search
                      http: {url: 'https://x.example/search'}
                    - name: fetch
                      http: {url: 'https://x.example/fetch'}
                    - name: search
                      http: {url: 'https://x.example/find'}
                    - mcp: {command: [python3, server.py], allow: [fetch, lookup]}
            """)
        #expect(diagnostics(yaml) == [
            "13:17: error: tool name \"search\" is used twice in agent \"a\"; it is already used at line 9 [agent-tool]",
            "15:56: error: tool name \"fetch\" is used twice in agent \"a\"; it is already used at line 11 [agent-tool]",
        ])
    }

    @Test func anthropicsAnswerToolNameIsReservedWithASchema() {
        let tools = """
                    - name: output
                      http: {url: 'https://x.example/out'}
            """
        let withSchema = AgentExpressionTests.agent(tools: tools)
            .replacingOccurrences(of: "agent:\n", with: "agent:\n      provider: anthropic\n      model: claude-test\n      schema: {type: object}\n")
        #expect(diagnostics(withSchema).contains { $0.contains("the final answer is a call of a tool named \"output\"") })
        #expect(!diagnostics(AgentExpressionTests.agent(tools: tools)).contains { $0.contains("named \"output\"") })
    }

    @Test func anAllowListNamesToolsOnceAndNeverNone() {
        let yaml = AgentExpressionTests.agent(tools: """
                    - mcp: {command: [python3, a.py], allow: [search, search, 'no spaces']}
                    - mcp: {command: [python3, b.py], allow: []}
                    - mcp: {command: [python3, c.py], allow: [search]}
            """)
        #expect(diagnostics(yaml) == [
            "9:59: warning: \"search\" is listed twice in \"allow\" [agent-tool]",
            "9:67: error: \"no spaces\" in \"allow\" can never name a tool: tool names match ^[A-Za-z0-9_-]{1,64}$ [agent-tool]",
            "10:50: error: \"allow\" is empty, so none of the server's tools would be offered; list the tools to offer, or leave \"allow\" out to offer them all [agent-tool]",
            "11:51: error: tool name \"search\" is used twice in agent \"a\"; it is already used at line 9 [agent-tool]",
        ])
    }

    @Test func anMCPCommandAndFolderAreFixedText() {
        let yaml = AgentExpressionTests.agent(tools: """
                    - mcp: {command: [python3, '--key=${{ input.key }}'], cwd: '${{ input.dir }}'}
                    - mcp: {command: [python3, b.py], cwd: ' '}
                    - mcp: {command: [python3, c.py], cwd: /opt/tools}
                    - mcp: {command: [python3, d.py], cwd: ../tools}
            """)
        #expect(diagnostics(yaml) == [
            "9:36: error: \"command\" is fixed text: `${{ }}` is not evaluated here; pass values to the server through \"env\" [agent-tool]",
            "9:68: error: \"cwd\" is fixed text: `${{ }}` is not evaluated here [agent-tool]",
            "10:48: error: \"cwd\" is empty; leave it out to start the server in the workflow file's folder [agent-tool]",
        ])
    }

    @Test func aWaitToolTakesItsLimitInWaitAndIsNotRetried() {
        let yaml = AgentExpressionTests.agent(tools: """
                    - name: ask
                      wait: {signal: answer}
                      timeout: 1d
                      retry: {max_attempts: 2}
                    - name: ask_more
                      input: {type: string}
                      wait: {signal: more, timeout: 1d}
            """)
        #expect(diagnostics(yaml) == [
            "11:20: error: `wait` tool \"ask\" takes its time limit as `wait.timeout` (how long a person has to answer); \"timeout\" is for the calls of `http` and `workflow` tools [agent-tool]",
            "12:18: error: `wait` tool \"ask\" asks a person and is not retried; remove \"retry\" [agent-tool]",
            "14:18: error: a tool's \"input\" must be an object schema (`type: object`): models send their arguments as one object [agent-tool]",
        ])
    }

    @Test func aToolSignalSharedWithAWaitOfAnotherPayloadWarns() {
        let yaml = """
            apex: 1
            name: t
            llm: {provider: openai, model: gpt-4o}
            steps:
              - id: approve
                wait: {signal: go, schema: {type: object, properties: {approved: {type: boolean}}}}
              - id: same
                wait:
                  signal: ok
                  schema: {type: object, required: [approve], additionalProperties: false, properties: {reason: {type: string}, approve: {type: boolean}}}
              - id: a
                agent:
                  prompt: Refund it.
                  tools:
                    - name: refund
                      http: {method: POST, url: 'https://pay.example/refunds'}
                      approval: {signal: go}
                    - name: refund_again
                      http: {method: POST, url: 'https://pay.example/refunds'}
                      approval: {signal: ok}
                    - name: ask
                      wait: {signal: ok}
              - id: later
                wait: {signal: answer}
              - id: b
                agent:
                  prompt: Ask.
                  tools:
                    - name: ask
                      wait: {signal: answer}
            """
        #expect(diagnostics(yaml) == [
            "17:30: warning: signal \"go\" of the approval of tool \"refund\" is also the signal of wait step \"approve\" (line 6), which takes a different payload: either may receive a signal meant for the other; give them different signal names [agent-tool]",
            "22:26: warning: signal \"ok\" of `wait` tool \"ask\" is also the signal of wait step \"same\" (line 9), which takes a different payload: either may receive a signal meant for the other; give them different signal names [agent-tool]",
        ])
    }

    @Test func costlyOrTinyLimitsWarn() {
        let tool = "        - name: find\n          http: {url: 'https://x.example/'}"
        #expect(diagnostics(AgentExpressionTests.agent(tools: tool, after: "      max_turns: 101\n      budget: {tokens: 99}")) == [
            "11:18: warning: max_turns 101 is more than 100: each turn sends the whole conversation again, so a long loop is costly; lower it, or bound the cost with budget.tokens [agent-tool]",
            "12:24: warning: a budget of 99 tokens ends the agent on its first turn (the prompt and the tools' schemas alone are more); count input and output tokens over all turns [agent-tool]",
        ])
        #expect(diagnostics(AgentExpressionTests.agent(tools: tool, after: "      max_turns: 100\n      budget: {tokens: 100}")) == [])
    }

    @Test func anAgentNeedsAKnownProviderAndAModel() {
        let yaml = """
            apex: 1
            name: t
            steps:
              - id: a
                agent: {provider: openia, model: gpt-4o, prompt: Hi.}
              - id: b
                agent: {provider: anthropic, prompt: Hi.}
              - id: c
                agent: {model: gpt-4o, prompt: Hi.}
              - id: d
                agent: {provider: mock, prompt: Hi.}
            """
        #expect(diagnostics(yaml) == [
            "5:23: error: unknown provider \"openia\"; did you mean \"openai\"? (providers: openai, anthropic, mock; OpenAI-compatible servers use `openai` with OPENAI_BASE_URL) [llm-config]",
            "7:5: error: agent step \"b\" has no model; set `model:` in the step or in the top-level `llm:` [llm-config]",
            "9:5: error: agent step \"c\" has no provider; set `provider:` in the step or in the top-level `llm:` (one of openai, anthropic, mock) [llm-config]",
        ])
    }

    @Test func anAgentStepTakesRetryTimeoutAndCatch() {
        let yaml = """
            apex: 1
            name: t
            llm: {provider: anthropic, model: claude-sonnet-4-5}
            steps:
              - id: a
                agent: {prompt: Hi.}
                retry: {max_attempts: 2}
                timeout: 10m
                catch:
                  - errors: [agent.max_turns, agent.budget]
                    next: end
            """
        #expect(diagnostics(yaml) == [])
    }

    @Test func aWorkflowToolsFileMustExist() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("agent-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "apex: 1\nname: child\nsteps:\n  - id: a\n    sleep: forever\n".write(to: folder.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let yaml = AgentExpressionTests.agent(tools: """
                    - name: gone
                      workflow: {file: gone.yaml}
                    - name: bad
                      workflow: {file: bad.yaml}
            """)
        #expect(diagnostics(yaml, path: folder.appendingPathComponent("agent.yaml").path) == [
            "10:28: error: child workflow \"gone.yaml\" does not exist (looked for \(folder.standardizedFileURL.path)/gone.yaml) [child-workflow]",
            "12:28: error: child workflow \"bad.yaml\" is invalid (1 error) [child-workflow]",
            "12:28: error: \"forever\" is not a duration; write e.g. \"500ms\", \"90s\", \"15m\", \"1h30m\", \"2d\" or ISO 8601 \"PT1H\" (in child workflow \(folder.path)/bad.yaml at 5:12) [duration]",
        ])
    }
}
