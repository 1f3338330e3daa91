import ApexDSL
import ApexFakeProvider
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@testable import ApexCLI

/// `apex test` run in-process on test files written for each test: passing and failing cases,
/// time skipping, stubs, signals, the output formats and `--update`.
@Suite struct TestCommandTests {
    static let greeting = """
        apex: 1
        name: hello
        input: {type: object, required: [name], properties: {name: {type: string}}}
        llm: {provider: openai, model: gpt-4o-mini}
        steps:
          - id: greet
            llm: {prompt: "Greet ${{ input.name }}."}
            retry: {max_attempts: 3, initial_interval: 2s}
        output: ${{ steps.greet.output.text }}
        """

    /// Three days asleep, a wait with a 4-hour limit, then an http call.
    static let slow = """
        apex: 1
        name: slow
        steps:
          - id: nap
            sleep: 3d
          - id: ask
            wait: {signal: approve, timeout: 4h}
            catch: [{errors: [timeout], next: late}]
          - id: refund
            http: {method: POST, url: "https://pay.example/refunds/42"}
            retry: {max_attempts: 2, initial_interval: 1h}
            next: end
          - id: late
            set: {late: true}
        output: {status: "${{ steps.refund.output.status ?? 0 }}", body: "${{ steps.refund.output.body ?? null }}", at: "${{ run.started_at }}"}
        """

    /// The test's own folder (a suite instance per test), removed when the test ends.
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
    }

    /// Writes the workflow `name`.yaml and its test file into the folder; the test file's path.
    func project(_ tests: String, workflow: String = greeting, name: String = "hello") throws -> String {
        try folder.write("\(name).yaml", workflow)
        return try folder.write("\(name).test.yaml", tests)
    }

    @Test func passingCasesExitZeroWithALinePerCase() async throws {
        let file = try project("""
            workflow: hello.yaml
            cases:
              - name: greets
                input: {name: Ada}
                llm: {greet: "Hello, Ada!"}
                expect: {output: "Hello, Ada!", attempts: {greet: 1}}
              - name: retries a rate limit
                input: {name: Grace}
                llm: {greet: [{error: llm.rate_limited}, "Hi"]}
                expect: {output: Hi, attempts: {greet: 2}, steps: [greet]}
            """)
        let result = await CommandResult.apex("test", folder.path)
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.hasPrefix("\(file)\n  ✓ greets ("))
        #expect(result.output.contains("  ✓ retries a rate limit ("))
        #expect(result.error.hasPrefix("2 cases: 2 passed, 0 failed"))
    }

    @Test func aFailingCaseExitsOneWithADiffOfTheOutput() async throws {
        let file = try project("""
            workflow: hello.yaml
            cases:
              - name: wrong greeting
                input: {name: Ada}
                llm: {greet: "Yo"}
                expect: {output: "Hello", attempts: {greet: 3}}
            """)
        let result = await CommandResult.apex("test", file)
        #expect(result.status == 1)
        #expect(result.output.contains("  ✗ wrong greeting ("))
        #expect(result.output.contains("      output: not what the case expects\n"))
        #expect(result.output.contains("      - \"Hello\"\n      + \"Yo\"\n"))
        #expect(result.output.contains("      attempts of greet: expected 3, got 1\n"))
        #expect(result.error.hasPrefix("1 case: 0 passed, 1 failed"))
    }

    @Test func daysOfWorkflowTimePassWithoutRealTime() async throws {
        let file = try project("""
            workflow: slow.yaml
            cases:
              - name: approved after three days
                signals: [{name: approve, payload: {ok: true}, at: ask}]
                http: [{name: refund, method: POST, url: "https://pay.example/refunds/*", status: 201, body: {id: r1}}]
                expect:
                  output_contains: {status: 201, body: {id: r1}, at: "2026-01-01T00:00:00.000Z"}
                  steps: [nap, ask, refund]
                  calls: {refund: 1}
              - name: nobody answers within four hours
                expect: {steps: [nap, ask, late]}
              - name: answered in time by workflow time
                signals: [{name: approve, after: 3d3h59m}]
                http: [{name: refund, url: "https://pay.example/*", responses: [{status: 503}, {status: 200, body: done}]}]
                expect: {output_contains: {status: 200, body: done}, attempts: {refund: 2}, calls: {refund: 2}}
            """, workflow: Self.slow, name: "slow")
        let began = Date()
        let result = await CommandResult.apex("test", file, "--format", "json")
        let seconds = Date().timeIntervalSince(began)
        #expect(result.status == 0, "\(result.output)\(result.error)")
        // Three days, four hours and a one-hour back-off, three times over, in milliseconds each
        // when alone (`apex test workflows/` in the closing note); here only bounded far below
        // the hour that even one real back-off would take, as the suites run beside it.
        #expect(seconds < 120, "took \(seconds) s")
        let report = try JSONValue(parsing: result.output)
        #expect(report["passed"] == 3)
    }

    @Test func aRequestNoStubMatchesAndASignalNeverSentFailTheCase() async throws {
        let file = try project("""
            workflow: slow.yaml
            cases:
              - name: unstubbed
                signals: [{name: approve}]
              - name: never approved in time
                signals: [{name: approve, after: 5d}]
                expect: {steps: [nap, ask, late]}
              - name: forgets the signal
                workflow: wait.yaml
            """, workflow: Self.slow, name: "slow")
        let dir = (file as NSString).deletingLastPathComponent
        try "apex: 1\nname: waits\nsteps:\n  - id: ask\n    wait: {signal: go}\n".write(toFile: dir + "/wait.yaml", atomically: true, encoding: .utf8)
        let result = await CommandResult.apex("test", file)
        #expect(result.status == 1)
        #expect(result.output.contains("      no stub matches the request POST https://pay.example/refunds/42 (made 2 times)\n"))
        #expect(result.output.contains("  ✓ never approved in time"), "a signal due after the run ended is not a failure")
        #expect(result.output.contains("      the run waits for go (at step ask), which the case does not send\n"))
    }

    @Test func junitAndGitHubFormatsNameTheFailingCase() async throws {
        let file = try project("""
            workflow: hello.yaml
            cases:
              - name: fine
                input: {name: Ada}
              - name: "broken <one>"
                input: {name: Ada}
                expect: {output: nope}
            """)
        let junit = await CommandResult.apex("test", file, "--format", "junit")
        #expect(junit.status == 1)
        #expect(junit.output.contains("<testsuite name=\"\(file)\" tests=\"2\" failures=\"1\""))
        #expect(junit.output.contains("<testcase classname=\"\(file)\" name=\"broken &lt;one&gt;\""))
        #expect(junit.output.contains("<failure message=\"output: not what the case expects\">"))
        let parser = XMLParser(data: Data(junit.output.utf8))
        #expect(parser.parse(), "the JUnit report is well-formed XML")

        let github = await CommandResult.apex("test", file, "--format", "github")
        #expect(github.output == "::error file=\(file),line=5,title=apex test%3A broken <one>::output: not what the case expects%0A- \"nope\"%0A+ \"Mock reply to: Greet Ada.\"\n")
    }

    @Test func filterRunsOnlyMatchingCases() async throws {
        let file = try project("""
            workflow: hello.yaml
            cases:
              - {name: First greeting, input: {name: A}}
              - {name: second, input: {name: B}, expect: {output: wrong}}
            """)
        let result = await CommandResult.apex("test", file, "--filter", "FIRST")
        #expect(result.status == 0)
        #expect(!result.output.contains("second"))
    }

    @Test func updateRewritesTheExpectationsAndKeepsTheRestOfTheFile() async throws {
        let file = try project("""
            # kept
            workflow: hello.yaml
            cases:
              - name: greets
                input: {name: Ada}
                llm: {greet: "Hello, Ada!"}
                expect:
                  output: old   # replaced
                  attempts: {greet: 7}
              - name: no expectations yet
                input: {name: Bo}
                llm: {greet: ["Hi"]}
            """)
        let updated = await CommandResult.apex("test", file, "--update")
        #expect(updated.status == 0, "\(updated.output)\(updated.error)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text == """
            # kept
            workflow: hello.yaml
            cases:
              - name: greets
                input: {name: Ada}
                llm: {greet: "Hello, Ada!"}
                expect:
                  output: "Hello, Ada!"
                  attempts: {greet: 1}
              - name: no expectations yet
                input: {name: Bo}
                llm: {greet: ["Hi"]}
                expect:
                  status: completed
                  output: Hi
            """)
        #expect(await CommandResult.apex("test", file).status == 0)
    }

    @Test func invalidTestFilesAreReportedLikeWorkflowsByTestAndValidate() async throws {
        let file = try project("""
            workflow: hello.yaml
            cases:
              - name: typo
                llm: {gret: hi}
                expcet: {}
              - name: typo
                signals: [{name: approve}]
            """)
        for command in ["test", "validate"] {
            let result = await CommandResult.apex(command, folder.path)
            #expect(result.status == 1, "\(command)")
            #expect(result.output.contains("\(file):4:11: error: llm: \"gret\" is not a step of the workflow; did you mean \"greet\"? [unknown-step]"), "\(result.output)")
            #expect(result.output.contains("\(file):5:5: error: unknown key \"expcet\" in a case; did you mean \"expect\"? [unknown-key]"))
            #expect(result.output.contains("error: two cases are named \"typo\""))
            #expect(result.output.contains("error: no wait of the workflow takes the signal \"approve\""))
        }
    }

    @Test func aFolderWithoutTestFilesExitsTwo() async throws {
        try folder.write("hello.yaml", Self.greeting)
        let result = await CommandResult.apex("test", folder.path)
        #expect(result.status == 2)
        #expect(result.error.contains("no test files (*.test.yaml, *.test.yml) in this folder"))
    }

    @Test func theExampleWorkflowsTestsPass() async throws {
        let examples = RulesDocumentationTests.repository.appendingPathComponent("workflows").path
        let result = await CommandResult.apex("test", examples, "--format", "json")
        #expect(result.status == 0, "\(result.output)\(result.error)")
        let report = try JSONValue(parsing: result.output)
        #expect(report["failed"] == 0, "\(result.output)")
        #expect((report["passed"]?.numberValue ?? 0) >= 25)
    }

    @Test func aSignalDueAtATimersInstantComesFirstEveryTime() async throws {
        let file = try project("""
            workflow: slow.yaml
            cases:
              - name: approved at the last instant
                signals: [{name: approve, after: 3d4h}]
                http: [{url: "https://pay.example/*"}]
                expect: {steps: [nap, ask, refund]}
            """, workflow: Self.slow, name: "slow")
        for _ in 0..<10 {
            let result = await CommandResult.apex("test", file)
            #expect(result.status == 0, "\(result.output)")
        }
    }

    @Test func aRefusedSignalAndOneNeverSentAreReported() async throws {
        let file = try project("""
            workflow: wait.yaml
            cases:
              - name: refused
                signals: [{name: go, payload: {ok: 1}, at: ask}]
              - name: never sent
                signals: [{name: go, payload: {ok: true}}, {name: go, payload: {ok: false}, at: ask}]
            """, workflow: "apex: 1\nname: waits\nsteps:\n  - id: ask\n    wait: {signal: go, schema: {type: object, properties: {ok: {type: boolean}}}}\n", name: "wait")
        let result = await CommandResult.apex("test", file)
        #expect(result.status == 1)
        #expect(result.output.contains("      the signal go (sent when step ask waited for it) was refused: "))
        #expect(result.output.contains("      the signal go was never sent: the run ended before step ask waited for it\n"))
    }

    @Test func secretsComeFromTheCase() async throws {
        let file = try project("""
            workflow: call.yaml
            cases:
              - name: the token is sent
                secrets: {HOOK: "https://hooks.example/abc"}
                http: [{name: hook, url: "https://hooks.example/abc", body: {ok: true}}]
                expect: {output: {ok: true}, calls: {hook: 1}}
            """, workflow: "apex: 1\nname: call\nsteps:\n  - id: call\n    http: {url: \"${{ secrets.HOOK }}\"}\noutput: ${{ steps.call.output.body }}\n", name: "call")
        let result = await CommandResult.apex("test", file)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func stepKeysThatCanNeverMatchAreErrors() async throws {
        let file = try project("""
            workflow: loop.yaml
            cases:
              - name: bare iteration key
                expect: {steps: [each, "each[0]/greet"], attempts: {greet: 1}}
            """, workflow: """
            apex: 1
            name: loop
            steps:
              - id: each
                foreach:
                  in: "${{ input.list }}"
                  as: n
                  steps:
                    - id: greet
                      set: {n: "${{ n }}"}
            """, name: "loop")
        let result = await CommandResult.apex("validate", file)
        #expect(result.status == 1)
        #expect(result.output.contains("error: expect: \"greet\" runs in the iterations of `each`: name one, as each[0]/greet [unknown-step]"), "\(result.output)")
        #expect(!result.output.contains("each[0]/greet\" "))
    }

    @Test func recordSavesTheProvidersRepliesAndTheCaseThenRunsOffline() async throws {
        let server = try await FakeProviderServer.start()
        defer { Task { [server] in try? await server.shutdown() } }
        server.enqueue(.openAIError(status: 429, type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached"), path: "/v1/chat/completions")
        server.enqueue(.openAIChat(text: "Hello from the model"), path: "/v1/chat/completions")
        let file = try project("""
            workflow: hello.yaml
            cases:
              - name: a real greeting
                input: {name: Ada}
                expect: {output: "Hello from the model", attempts: {greet: 2}}
            """)
        let environment = ["OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": server.openAIBaseURL]
        let recorded = await CommandResult.apex("test", file, "--record", environment: environment)
        #expect(recorded.status == 0, "\(recorded.output)\(recorded.error)")
        #expect(server.requests.count == 2)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("""
                expect: {output: "Hello from the model", attempts: {greet: 2}}
                llm:
                  greet: [{error: llm.rate_limited, message: 
            """), "\(text)")
        #expect(text.contains(#", "Hello from the model"]"#))
        // Offline now: no key, no server.
        let offline = await CommandResult.apex("test", file)
        #expect(offline.status == 0, "\(offline.output)")
        #expect(server.requests.count == 2)
    }

    @Test func globsMatchWholeURLs() {
        #expect(HTTPStub.glob("https://a.example/*", matches: "https://a.example/x/y?z=1"))
        #expect(HTTPStub.glob("https://*.example/v1/*/items", matches: "https://api.example/v1/7/items"))
        #expect(!HTTPStub.glob("https://a.example/*/items", matches: "https://a.example/7/items/8"))
        #expect(!HTTPStub.glob("https://a.example/x", matches: "https://a.example/xy"))
    }
}
