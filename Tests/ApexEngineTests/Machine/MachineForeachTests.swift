import ApexDSL
import Testing

@testable import ApexEngine

/// `foreach`: iterations in scopes of their own, bounded concurrency, outputs in input order.
@Suite struct MachineForeachTests {
    static let summarize = """
        apex: 1
        name: summaries
        llm: { provider: mock }
        steps:
          - id: each
            foreach:
              in: ${{ input.docs }}
              as: doc
              concurrency: ${{ input.width }}
              steps:
                - id: summarize
                  llm: { prompt: "Summarize ${{ doc }}" }
                - id: label
                  set: { label: "${{ index }}:${{ steps.summarize.output }}" }
        output: ${{ steps.each.output }}
        """

    @Test func iterationsRunAtMostConcurrencyAtOnceAndOutputInInputOrder() throws {
        let docs: [JSONValue] = ["a", "b", "c", "d", "e"]
        let run = try ScriptedRun(Self.summarize, World(
            outcomes: Dictionary(uniqueKeysWithValues: (0..<5).map { ("each[\($0)]/summarize", [.output(.string("s\($0)"))]) }),
            newestFirst: true, input: ["docs": .array(docs), "width": 2]))
        #expect(run.maxPending == 2)
        #expect(run.machine.output == .array((0..<5).map { ["label": .string("\($0):s\($0)")] }))
        #expect(Array(run.summaries.prefix(4)) == [
            "RunStarted summaries", "StepScheduled each (visit 1)",
            "StepScheduled each[0]/summarize (visit 1)", "StepScheduled each[1]/summarize (visit 1)",
        ])
        // Iteration 1 answered first (newest first), so iteration 2 started before 0 ended.
        let completions = run.summaries.filter { $0.hasPrefix("StepCompleted each[") && $0.contains("summarize") }
        #expect(completions.first == "StepCompleted each[1]/summarize (visit 1)")
        #expect(Set(run.machine.stepRecords.map(\.key)).isSuperset(of: (0..<5).map { "each[\($0)]/label" }))
    }

    @Test func anActivityInAnIterationSeesItsElementAndIndex() throws {
        let run = try ScriptedRun(Self.summarize, World(silent: ["each[0]/summarize"], input: ["docs": ["x", "y"], "width": 1]))
        let request = try #require(run.machine.pendingActivities.first)
        #expect(request.step == "each[0]/summarize")
        #expect(request.context.roots["doc"] == "x")
        #expect(request.context.roots["index"] == 0)
        #expect(request.idempotencyKey == "run-1/each[0]/summarize/1")
        #expect(run.machine.currentStep == "each[0]/summarize")
    }

    @Test func anEmptyListCompletesAtOnceWithAnEmptyList() throws {
        let run = try ScriptedRun(Self.summarize, World(input: ["docs": [], "width": 3]))
        #expect(run.summaries == ["RunStarted summaries", "StepScheduled each (visit 1)", "StepCompleted each (visit 1)", "RunCompleted"])
        #expect(run.machine.output == [])
    }

    static let badLoops: [(docs: JSONValue, width: JSONValue)] = [("abc", 1), (["a"], 0), (["a"], 1.5), (["a"], "2")]

    @Test(arguments: badLoops)
    func aNonListOrABadConcurrencyIsAnExpressionError(docs: JSONValue, width: JSONValue) throws {
        let run = try ScriptedRun(Self.summarize, World(input: ["docs": docs, "width": width]))
        #expect(run.machine.error?.type == "expression")
        #expect(run.summaries == ["RunStarted summaries", "StepScheduled each (visit 1)", "StepFailed each (visit 1): expression", "RunFailed (expression)"])
    }

    @Test func aFailingIterationFailsTheStepAndCancelsTheOthers() throws {
        let run = try ScriptedRun(Self.summarize, World(
            outcomes: ["each[1]/summarize": [.failure("llm.auth")]], held: ["each[0]/summarize"],
            input: ["docs": ["a", "b", "c"], "width": 2]))
        #expect(run.machine.error?.type == "llm.auth")
        #expect(run.record("each[0]/summarize")?.status == .cancelled)
        #expect(run.record("each[2]/summarize") == nil, "no iteration starts after a failure")
        #expect(run.record("each")?.status == .failed)
    }

    @Test func aParallelInsideAForeachKeysItsStepsByIteration() throws {
        let run = try ScriptedRun("""
            apex: 1
            name: nested
            llm: { provider: mock }
            steps:
              - id: each_doc
                foreach:
                  in: [a, b]
                  steps:
                    - id: split
                      parallel:
                        english:
                          - id: translate_en
                            llm: { prompt: "Translate ${{ item }} to English." }
                        french:
                          - id: translate_fr
                            llm: { prompt: "Translate ${{ item }} to French." }
                    - id: save
                      set: { saved: "${{ steps.split.output.french }}" }
              - id: finish_up
                set: { translated: "${{ steps.each_doc.output }}" }
            output: ${{ vars.translated }}
            """)
        #expect(run.machine.status == .completed)
        #expect(run.machine.stepRecords.map(\.key) == [
            "each_doc", "each_doc[0]/split", "each_doc[0]/translate_en", "each_doc[0]/translate_fr", "each_doc[0]/save",
            "each_doc[1]/split", "each_doc[1]/translate_en", "each_doc[1]/translate_fr", "each_doc[1]/save", "finish_up",
        ])
        #expect(run.machine.output == [["saved": "each_doc[0]/translate_fr done"], ["saved": "each_doc[1]/translate_fr done"]])
    }

    @Test func stepsInsideAnIterationAreLookedUpFromItsScopeOutward() throws {
        let run = try ScriptedRun("""
            apex: 1
            name: scoped
            defaults: { max_visits: 2 }
            steps:
              - id: intro
                set: { greeting: hi }
              - id: each
                foreach:
                  in: [a, b]
                  steps:
                    - id: count
                      set: { n: "${{ (steps.count.output.n ?? 0) + 1 }}" }
                    - id: again
                      switch:
                        - when: ${{ steps.count.output.n < 2 }}
                          next: count
                    - id: show
                      set: { text: "${{ steps.intro.output.greeting }} ${{ item }} ${{ steps.count.output.n }} ${{ index }}" }
            output: ${{ steps.each.output }}
            """)
        #expect(run.machine.output == [["text": "hi a 2 0"], ["text": "hi b 2 1"]])
        #expect(run.machine.stepRecords.filter { $0.key == "each[1]/count" }.map(\.visit) == [1, 2],
                "visits count per key, so each iteration has its own max_visits")
    }

    @Test func nestedForeachScopesPrefixEachOther() throws {
        let run = try ScriptedRun("""
            apex: 1
            name: grid
            steps:
              - id: outer
                foreach:
                  in: [1, 2]
                  as: row
                  steps:
                    - id: inner
                      foreach:
                        in: [10, 20]
                        as: col
                        steps:
                          - id: cell
                            set: { value: "${{ row * col + index }}" }
            output: ${{ steps.outer.output }}
            """)
        #expect(run.machine.stepRecords.map(\.key).contains("outer[1]/inner[0]/cell"))
        #expect(run.machine.output == [[["value": 10], ["value": 21]], [["value": 20], ["value": 41]]])
    }
}
