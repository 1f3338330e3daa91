import ApexCompiler
import Testing

/// Every example workflow under `workflows/` draws as `Fixtures/graphs/<name>.svg`, byte for
/// byte (record with `APEX_UPDATE_GOLDENS=1`); one of them also with statuses.
@Suite struct GoldenSVGTests {
    @Test(arguments: ExampleWorkflowTests.files)
    func exampleDrawsAsItsGolden(file: String) throws {
        let svg = try ExampleWorkflowTests.plan(file).svg()
        try Fixtures.expectGolden(svg, name: "graphs/" + file.replacingOccurrences(of: ".yaml", with: ""), suffix: ".svg")
    }

    @Test func statusesColourTheirStates() throws {
        let plan = try ExampleWorkflowTests.plan("triage-with-approval.yaml")
        var statuses: [StateID: String] = [:]
        for (step, status) in ["classify": "completed", "route": "completed", "draft": "retrying", "approval": "waiting", "escalate": "skipped"] {
            statuses[try #require(plan.states.first { $0.stepID == step }).id] = status
        }
        let svg = plan.svg(statuses: statuses)
        try Fixtures.expectGolden(svg, name: "graphs/triage-with-approval.statuses", suffix: ".svg")
        #expect(svg.contains(#"<g class="node shape-step kind-wait status-waiting" id="node-approval" data-node="approval" data-step="approval" data-kind="wait" data-status="waiting"><title>approval (wait): waiting</title>"#))
        #expect(svg.contains(#"<g class="node shape-decision kind-switch status-pending" id="node-decide""#))
        #expect(svg.contains(#"<g class="node shape-terminal" id="node-start" data-node="start"><rect "#))
        #expect(plan.svg(statuses: statuses) == svg)
    }

    @Test func anAgentIsDrawnWithItsTools() throws {
        let svg = try Fixtures.plan(named: "agent").svg()
        try Fixtures.expectGolden(svg, name: "graphs/agent", suffix: ".svg")
        #expect(svg.contains(">lookup_order, summarize_page,</text>"))
        #expect(svg.contains(">ask_customer (wait), refund (approval)</text>"))
        #expect(svg.contains(">mcp: python3 search_server.py (search, fetch)</text>"))
        // Five lines: 40 for the id and kind, 15 for each tool line.
        #expect(svg.contains(#"<g class="node shape-step kind-agent status-pending" id="node-investigate""#))
        #expect(svg.contains(#"height="85" rx="6"/>"#))
    }

    @Test func textIsEscaped() throws {
        let plan = try Fixtures.plan("""
            apex: 1
            name: quotes
            steps:
              - id: route
                switch:
                  - when: 'say "hi" <b> & it''s'
                    next: done
              - id: middle
                set: { a: 1 }
              - id: done
                set: { ok: true }
            """)
        let svg = plan.svg(statuses: [0: "odd status"])
        #expect(svg.contains(#"<text class="edge-label" "#))
        #expect(svg.contains(">say &quot;hi&quot; &lt;b&gt; &amp; it&apos;s</text>"))
        #expect(svg.contains(#"class="node shape-decision kind-switch status-odd_status" id="node-route" data-node="route" data-step="route" data-kind="switch" data-status="odd status">"#))
    }
}
