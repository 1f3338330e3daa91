import ApexCompiler
import ApexDSL
import Testing

/// The transitions and defaults the compiler resolves for each kind of step.
@Suite struct CompilerTransitionTests {
    private func state(_ plan: Plan, _ stepID: String) throws -> PlanState {
        try #require(plan.state(forStep: stepID))
    }

    private func target(_ plan: Plan, _ stepID: String) throws -> PlanTarget {
        .state(try state(plan, stepID).id)
    }

    @Test func stepsFollowEachOtherAndTheLastEndsTheRun() throws {
        let plan = try Fixtures.plan(named: "linear")
        #expect(plan.workflowName == "linear")
        #expect(plan.states.map(\.stepID) == ["fetch", "summarize", "remember"])
        #expect(plan.states.map(\.kind) == [.http, .llm, .set])
        #expect(plan.entry == .state(0))
        #expect(plan.states.map(\.onCompleted) == [.state(1), .state(2), .endOfList(0)])
        #expect(plan.lists == [PlanList(id: 0, states: [0, 1, 2], owner: nil, branch: nil)])
    }

    @Test func skippedStepGoesWhereItsNextGoes() throws {
        let plan = try Fixtures.plan(named: "if_skip")
        let notify = try state(plan, "notify")
        #expect(notify.condition?.literalValue == false)
        #expect(notify.onSkipped == notify.onCompleted)
        #expect(notify.onSkipped == (try target(plan, "pause")))
        #expect(try state(plan, "pause").onSkipped == .endOfList(0))
        #expect(try state(plan, "prepare").condition == nil)
    }

    @Test func switchTriesCasesInOrderThenItsDefault() throws {
        let plan = try Fixtures.plan(named: "switch_default")
        let route = try #require(try state(plan, "route").choice)
        #expect(route.cases.map(\.target) == [try target(plan, "billing"), try target(plan, "bug")])
        #expect(route.cases.map(\.text) == ["false", "true"])
        #expect(route.defaultTarget == (try target(plan, "other")))
        #expect(route.hasDefault)
    }

    @Test func switchCasesKeepTheirConditionsAsWritten() throws {
        let plan = try Fixtures.plan(named: "expressions")
        let grade = try #require(try state(plan, "grade").choice)
        #expect(grade.cases.map(\.text) == [
            "${{ input.score >= 8 }}",
            #"${{ format('{0}', input.score) == "5" }}"#,
        ])
        #expect(grade.cases.allSatisfy { $0.condition.expressions.count == 1 })
        #expect(try state(plan, "tell").condition?.expressions.count == 1)
        #expect(try state(plan, "tell").timeout == .seconds(10))
    }

    @Test func switchWithoutDefaultFallsToItsOwnNext() throws {
        let plan = try Fixtures.plan(named: "switch_no_default")
        let route = try state(plan, "route")
        let choice = try #require(route.choice)
        #expect(choice.defaultTarget == (try target(plan, "close")))
        #expect(choice.defaultTarget == route.onCompleted)
        #expect(!choice.hasDefault)
    }

    @Test func catchHandlersMatchTypesPrefixesAndWildcards() throws {
        let plan = try Fixtures.plan(named: "catch")
        let draft = try state(plan, "draft")
        #expect(draft.catches.map(\.patterns) == [["llm.rate_limited", "llm.overloaded"], ["*"]])
        #expect(draft.handler(for: "llm.overloaded")?.target == (try target(plan, "handoff")))
        #expect(draft.handler(for: "http.status")?.target == .endOfList(0))
        let approval = try state(plan, "approval")
        #expect(approval.handler(for: "timeout")?.target == (try target(plan, "handoff")))
        #expect(approval.handler(for: "cancelled") == nil)
    }

    @Test func loopBackWithNextTargetsAnEarlierState() throws {
        let plan = try Fixtures.plan(named: "loop")
        #expect(try state(plan, "wait_a_bit").onCompleted == (try target(plan, "poll")))
        #expect(plan.states.allSatisfy { $0.maxVisits == 20 })
    }

    @Test func parallelBranchesAreListsOwnedByTheParallelState() throws {
        let plan = try Fixtures.plan(named: "parallel")
        let fanout = try state(plan, "fanout")
        let branches = try #require(fanout.branches)
        #expect(branches.map(\.name) == ["research", "review"])
        let research = plan.lists[branches[0].list]
        #expect(research.owner == fanout.id)
        #expect(research.branch == "research")
        #expect(research.entry == (try target(plan, "search")))
        #expect(try state(plan, "digest").onCompleted == .endOfList(research.id))
        #expect(plan.owner(of: research.id)?.stepID == "fanout")
        #expect(fanout.onCompleted == (try target(plan, "combine")))
        #expect(fanout.childLists == branches.map(\.list))
    }

    @Test func foreachRunsItsBodyPerElement() throws {
        let plan = try Fixtures.plan(named: "foreach")
        let loop = try #require(try state(plan, "each_ticket").loop)
        #expect(loop.element == "ticket")
        #expect(loop.literalConcurrency == 2)
        #expect(loop.items.literalValue == ["t1", "t2", "t3"])
        #expect(plan.lists[loop.body].states == [try state(plan, "label").id, try state(plan, "store").id])
        #expect(plan.lists[loop.body].branch == nil)
        #expect(try state(plan, "each_ticket").childLists == [loop.body])

        let nested = try Fixtures.plan(named: "nested_parallel_in_foreach")
        let outer = try #require(try state(nested, "each_doc").loop)
        #expect(outer.element == "item")
        #expect(outer.literalConcurrency == 1)
        let split = try state(nested, "split")
        #expect(split.list == outer.body)
        #expect(nested.lists[try #require(split.branches)[1].list].owner == split.id)
        #expect(try state(nested, "save").onCompleted == .endOfList(outer.body))
    }
}
