import ApexCompiler
import ApexDSL
import Testing

/// Each state carries its effective options: the step's own, else the workflow's defaults.
@Suite struct CompilerDefaultsTests {
    static let workflow = """
        apex: 1
        name: defaults
        llm: { provider: mock, system: Be brief., temperature: 0.5 }
        defaults:
          retry: { max_attempts: 7, initial_interval: 3s }
          timeout: 20s
          max_visits: 9
        timeout: 1d
        vars: { region: eu }
        steps:
          - id: ask
            llm: { prompt: Say hi., temperature: 0 }
          - id: call
            http: { url: https://example.com }
            retry: { max_attempts: 2 }
            timeout: 5s
          - id: approve
            wait: { signal: approve, timeout: 1h }
          - id: nap
            sleep: 1m
        output: { done: true }
        """

    @Test func activitiesTakeTheDefaultRetryAndTimeoutUnlessTheyHaveTheirOwn() throws {
        let plan = try Fixtures.plan(Self.workflow)
        let ask = try #require(plan.state(forStep: "ask"))
        #expect(ask.retry?.maxAttempts == 7)
        #expect(ask.retry?.initialInterval == .seconds(3))
        #expect(ask.timeout == .seconds(20))
        let call = try #require(plan.state(forStep: "call"))
        #expect(call.retry?.maxAttempts == 2)
        #expect(call.timeout == .seconds(5))
    }

    @Test func otherStepsHaveNoRetryAndOnlyAWaitHasATimeout() throws {
        let plan = try Fixtures.plan(Self.workflow)
        #expect(plan.state(forStep: "approve")?.retry == nil)
        #expect(plan.state(forStep: "approve")?.timeout == .seconds(3600))
        #expect(plan.state(forStep: "approve")?.wait?.signal == "approve")
        #expect(plan.state(forStep: "nap")?.retry == nil)
        #expect(plan.state(forStep: "nap")?.timeout == nil)
    }

    @Test func withoutDefaultsActivitiesUseTheRetryPolicyOfTheSpec() throws {
        let plan = try Fixtures.plan(named: "linear")
        let fetch = try #require(plan.state(forStep: "fetch"))
        #expect(fetch.retry == RetryPolicy())
        #expect(fetch.timeout == nil)
        #expect(fetch.maxVisits == StepDefaults.defaultMaxVisits)
    }

    @Test func llmStepsFallBackToTheTopLevelLLMOptions() throws {
        let plan = try Fixtures.plan(Self.workflow)
        let llm = try #require(plan.state(forStep: "ask")?.llm)
        #expect(llm.provider?.value == "mock")
        #expect(llm.system?.literalValue == "Be brief.")
        #expect(llm.temperature?.literalValue == 0)
        #expect(llm.prompt?.literalValue == "Say hi.")
        #expect(plan.state(forStep: "call")?.llm == nil)
    }

    @Test func workflowLevelFieldsAreKept() throws {
        let plan = try Fixtures.plan(Self.workflow)
        #expect(plan.timeout == .seconds(86_400))
        #expect(plan.vars.map(\.name.value) == ["region"])
        #expect(plan.output?.literalValue == ["done": true])
        #expect(plan.defaults.maxVisits == 9)
        #expect(plan.states.allSatisfy { $0.maxVisits == 9 })
        #expect(plan.input == nil)
    }
}
