import ApexCompiler
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
}
