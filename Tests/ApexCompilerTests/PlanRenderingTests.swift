import ApexCompiler
import ApexDSL
import Testing

@Suite struct PlanRenderingTests {
    @Test func dotDrawsClustersJoinsAndDashedCatches() throws {
        let dot = try Fixtures.plan(named: "fail").dot
        #expect(dot.hasPrefix("digraph \"fail\" {\n"))
        #expect(dot.hasSuffix("}\n"))
        #expect(dot.contains("subgraph \"cluster_checks_quota\" {"))
        #expect(dot.contains("label=\"branch quota\";"))
        #expect(dot.contains("\"join_checks\" [label=\"join\", shape=circle, style=solid];"))
        #expect(dot.contains("\"checks\" -> \"refuse\" [label=\"catch: QuotaExceeded\", style=dashed];"))
        #expect(dot.contains("\"check_quota\" [label=\"check_quota\\nswitch\", shape=diamond, style=solid];"))
        #expect(dot.filter { $0 == "{" }.count == dot.filter { $0 == "}" }.count)
    }

    @Test func anAgentsLabelListsItsTools() throws {
        let plan = try Fixtures.plan(named: "agent")
        #expect(plan.mermaid.contains(#"    investigate["investigate<br/>agent<br/>lookup_order, summarize_page,<br/>ask_customer (wait), refund (approval)<br/>mcp: python3 search_server.py (search, fetch)"]"#))
        #expect(plan.dot.contains(#""investigate" [label="investigate\nagent\nlookup_order, summarize_page,\nask_customer (wait), refund (approval)\nmcp: python3 search_server.py (search, fetch)"];"#))
        let json = plan.graphJSON()
        guard case .object(let graph) = json, case .array(let nodes)? = graph["nodes"],
              let node = nodes.first(where: { $0.objectValue?["id"] == .string("investigate") }) else {
            Issue.record("no node investigate")
            return
        }
        #expect(node.objectValue?["lines"] == ["investigate", "agent", "lookup_order, summarize_page,", "ask_customer (wait), refund (approval)", "mcp: python3 search_server.py (search, fetch)"])
    }

    @Test func anAgentWithoutToolsIsDrawnLikeAnyStep() throws {
        let plan = try Fixtures.plan("""
            apex: 1
            name: bare
            llm: { provider: openai, model: gpt-4o }
            steps:
              - id: think
                agent: { prompt: Think. }
            """)
        #expect(plan.mermaid.contains(#"    think["think<br/>agent"]"#))
    }

    @Test func dotAndMermaidDrawTheSameEdges() throws {
        for name in Fixtures.names {
            let plan = try Fixtures.plan(named: name)
            let dotEdges = plan.dot.split(separator: "\n").filter { $0.contains(" -> ") }.count
            let mermaidEdges = plan.mermaid.split(separator: "\n").filter { $0.contains("-->") || $0.contains("-.->") }.count
            #expect(dotEdges == mermaidEdges, "\(name)")
            #expect(plan.dot.filter { $0 == "{" }.count == plan.dot.filter { $0 == "}" }.count, "\(name)")
        }
    }

    @Test func mermaidEscapesQuotesAndMarkupInConditions() throws {
        let plan = try Fixtures.plan("""
            apex: 1
            name: quotes
            steps:
              - id: route
                switch:
                  - when: 'say "hi" <b> #1 | 2'
                    next: done
              - id: done
                set: { ok: true }
            """)
        #expect(plan.mermaid.contains(#"route -->|"say #quot;hi#quot; #lt;b#gt; #35;1 #124; 2"| done"#))
        #expect(plan.dot.contains(#"[label="say \"hi\" <b> #1 | 2"]"#))
    }

    @Test func stepsNamedLikeKeywordsOrExtraNodesGetDistinctIDs() throws {
        let plan = try Fixtures.plan("""
            apex: 1
            name: keywords
            steps:
              - id: start
                set: { a: 1 }
              - id: style
                set: { b: 2 }
              - id: finish
                set: { c: 3 }
            """)
        let mermaid = plan.mermaid
        #expect(mermaid.contains(#"    start_2(["start"])"#))
        #expect(mermaid.contains(#"    style_2["style<br/>set"]"#))
        #expect(mermaid.contains(#"    finish_2(["end"])"#))
        #expect(mermaid.contains("    start_2 --> start\n    start --> style_2\n    style_2 --> finish\n    finish --> finish_2\n"))
    }

    @Test func noStatusesGiveThePlainMermaidAndDOT() throws {
        for name in Fixtures.names {
            let plan = try Fixtures.plan(named: name)
            #expect(plan.mermaid(statuses: [:]) == plan.mermaid, "\(name)")
            #expect(plan.dot(statuses: [:]) == plan.dot, "\(name)")
        }
    }

    @Test func statusesColourMermaidAndDOTNodes() throws {
        let plan = try Fixtures.plan(named: "catch")
        let ids = Dictionary(uniqueKeysWithValues: plan.states.map { ($0.stepID, $0.id) })
        let statuses = [ids["approval"]!: "completed", ids["draft"]!: "failed", ids["handoff"]!: "skipped"]
        let mermaid = plan.mermaid(statuses: statuses)
        #expect(mermaid.hasPrefix(plan.mermaid))
        #expect(mermaid.dropFirst(plan.mermaid.count) == """
                classDef status_pending fill:#ffffff,stroke:#9ca3af
                classDef status_completed fill:#dcfce7,stroke:#16a34a
                classDef status_failed fill:#fee2e2,stroke:#dc2626
                classDef status_skipped fill:#f9fafb,stroke:#d1d5db,stroke-dasharray:4 3
                class send status_pending
                class approval status_completed
                class draft status_failed
                class handoff status_skipped

            """)
        let dot = plan.dot(statuses: statuses)
        #expect(dot.contains(##""draft" [label="draft\nllm", style="rounded,filled", fillcolor="#fee2e2", color="#dc2626"];"##))
        #expect(dot.contains(##""handoff" [label="handoff\nfail", shape=octagon, style="dashed,filled", fillcolor="#f9fafb", color="#d1d5db"];"##))
        #expect(dot.contains(##""send" [label="send\nhttp", style="rounded,filled", fillcolor="#ffffff", color="#9ca3af"];"##))
        #expect(dot.contains(#""start" [label="start", shape=oval, style=bold];"#))
    }
}
