import ApexDSL
import Testing

@testable import ApexEngine

/// `switch` cases, defaults, and loops bounded by `max_visits`.
@Suite struct MachineSwitchTests {
    static func routing(withDefault: Bool) -> String {
        """
        apex: 1
        name: routing
        steps:
          - id: route
            switch:
              - when: ${{ input.kind == 'bug' }}
                next: bug
              - when: ${{ input.kind == 'billing' }}
                next: billing
        \(withDefault ? "      - default: other" : "")
          - id: fallthrough
            set: { path: fallthrough }
            next: end
          - id: bug
            set: { path: bug }
            next: end
          - id: billing
            set: { path: billing }
            next: end
          - id: other
            set: { path: other }
        output: ${{ vars.path }}
        """
    }

    @Test(arguments: [
        (true, "bug", "bug"), (true, "billing", "billing"), (true, "question", "other"),
        (false, "billing", "billing"), (false, "question", "fallthrough"),
    ])
    func switchTakesTheFirstTrueCaseElseItsDefaultElseItsNext(withDefault: Bool, kind: String, path: String) throws {
        let run = try ScriptedRun(Self.routing(withDefault: withDefault), World(input: ["kind": .string(kind)]))
        #expect(run.machine.output == .string(path))
        #expect(Array(run.summaries.prefix(3)) == ["RunStarted routing", "StepScheduled route (visit 1)", "StepCompleted route (visit 1)"])
        #expect(run.record("route")?.output == .null)
        #expect(run.summaries.contains("StepScheduled \(path) (visit 1)"))
    }

    static let loop = """
        apex: 1
        name: looping
        defaults: { max_visits: 3 }
        vars: { n: 0 }
        steps:
          - id: bump
            set: { n: "${{ vars.n + 1 }}" }
          - id: again
            switch:
              - when: ${{ vars.n < input.stop }}
                next: bump
        output: ${{ vars.n }}
        """

    @Test func aLoopRevisitsStepsWithGrowingVisitNumbers() throws {
        let run = try ScriptedRun(Self.loop, World(input: ["stop": 3]))
        #expect(run.machine.output == 3)
        #expect(run.machine.stepRecords.map { "\($0.key)#\($0.visit)" } == ["bump#1", "again#1", "bump#2", "again#2", "bump#3", "again#3"])
    }

    @Test func aLoopPastMaxVisitsFailsTheRunWithLoopLimit() throws {
        let run = try ScriptedRun(Self.loop, World(input: ["stop": 10]))
        #expect(run.machine.status == .failed)
        #expect(run.machine.error?.type == "loop.limit")
        #expect(run.machine.error?.step == "bump")
        #expect(Array(run.summaries.suffix(2)) == ["StepCompleted again (visit 3)", "RunFailed (loop.limit)"])
        #expect(run.machine.stepRecords.count == 6)
    }

    @Test func loopLimitIsNotCaught() throws {
        let run = try ScriptedRun("""
            apex: 1
            name: limited
            defaults: { max_visits: 2 }
            steps:
              - id: spin
                set: { x: 1 }
                next: spin
                catch:
                  - errors: ["*"]
                    next: end
            """)
        #expect(run.machine.error?.type == "loop.limit")
    }
}
