import ApexDSL
import Foundation
import Testing

@testable import ApexCLI

/// `apex graph` run in-process: the graph on standard output, diagnostics on standard error.
@Suite struct GraphCommandTests {
    @Test func validFilePrintsItsMermaidGraph() async {
        let result = await CommandResult.apex("graph", Fixture.valid)
        #expect(result.status == 0)
        #expect(result.error.isEmpty)
        #expect(result.output == """
            flowchart TD
                start(["start"])
                pause["pause<br/>sleep"]
                finish["finish<br/>set"]
                finish_2(["end"])
                start --> pause
                pause --> finish
                finish --> finish_2

            """)
    }

    @Test func dotFormatPrintsADigraph() async {
        let result = await CommandResult.apex("graph", "--format", "dot", Fixture.valid)
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("digraph \"countdown\" {\n"))
        #expect(result.output.contains("\"pause\" -> \"finish\";\n"))
        #expect(result.output.hasSuffix("}\n"))
    }

    @Test func invalidWorkflowPrintsItsErrorsAndExitsOne() async throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("broken.yaml", """
            apex: 1
            name: broken
            steps:
              - id: first
                set: { a: 1 }
                next: nowhere
            """)
        let result = await CommandResult.apex("graph", file)
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(result.error.hasPrefix("\(file):6:11: error: unknown step \"nowhere\" in next"))
        #expect(result.error.contains("[unknown-step]\n"))
    }

    @Test func warningsArePrintedAndTheGraphStillIs() async {
        let result = await CommandResult.apex("graph", Fixture.unreachableStep)
        #expect(result.status == 0)
        #expect(result.error.contains(": warning: "))
        #expect(result.output.hasPrefix("flowchart TD\n"))
    }

    @Test func unreadableFileExitsTwo() async {
        let missing = "/nonexistent/apex/flow.yaml"
        let result = await CommandResult.apex("graph", missing)
        #expect(result.status == 2)
        #expect(result.error == "\(missing): error: no such file or folder\n")
        #expect(result.output.isEmpty)
    }

    @Test func unknownFormatIsAUsageError() async {
        let result = await CommandResult.apex("graph", "--format", "xml", Fixture.valid)
        #expect(result.status == 2)
        #expect(result.output.isEmpty)
    }

    @Test func svgFormatPrintsAnImage() async {
        let result = await CommandResult.apex("graph", "--format", "svg", Fixture.valid)
        #expect(result.status == 0)
        #expect(result.output.hasPrefix(#"<svg xmlns="http://www.w3.org/2000/svg" class="apex-graph" viewBox="0 0 "#))
        #expect(result.output.contains(#"aria-label="Graph of workflow countdown">"#))
        #expect(result.output.contains(#"<g class="node shape-step kind-sleep status-pending" id="node-pause" data-node="pause""#))
        #expect(result.output.contains(#"<g class="edge" data-from="pause" data-to="finish"><path d=""#))
        #expect(result.output.hasSuffix("</svg>\n"))
    }

    @Test func runIsDrawnWithItsStatuses() async throws {
        let folder = try TemporaryFolder()
        let database = "sqlite:" + folder.path + "/apex.db"
        let file = try folder.write("approval.yaml", """
            apex: 1
            name: approval
            steps:
              - id: prepare
                set: { ready: true }
              - id: approval
                wait: { signal: approve }
              - id: done
                set: { approved: true }
            """)
        let started = await CommandResult.apex("run", file, "--detach", "--id", "graphed", "--db", database)
        #expect(started.status == 0, "\(started.error)")

        let svg = await CommandResult.apex("graph", "--run", "graphed", "--db", database, "--format", "svg")
        #expect(svg.status == 0, "\(svg.error)")
        #expect(svg.output.contains(#"<g class="node shape-step kind-set status-completed" id="node-prepare""#))
        #expect(svg.output.contains(#"<g class="node shape-step kind-wait status-waiting" id="node-approval""#))
        #expect(svg.output.contains(#"<g class="node shape-step kind-set status-pending" id="node-done""#))

        let mermaid = await CommandResult.apex("graph", "--run", "graphed", "--db", database)
        #expect(mermaid.status == 0)
        #expect(mermaid.output.hasSuffix("""
                done --> finish
                classDef status_pending fill:#ffffff,stroke:#9ca3af
                classDef status_waiting fill:#fef3c7,stroke:#d97706
                classDef status_completed fill:#dcfce7,stroke:#16a34a
                class done status_pending
                class approval status_waiting
                class prepare status_completed

            """))

        let dot = await CommandResult.apex("graph", "--run", "graphed", "--db", database, "--format", "dot")
        #expect(dot.output.contains(##""approval" [label="approval\nwait", style="rounded,filled", fillcolor="#fef3c7", color="#d97706"];"##))

        // --json: the API's run graph, each state's node with its status.
        let json = await CommandResult.apex("graph", "--run", "graphed", "--db", database, "--json")
        #expect(json.status == 0, "\(json.error)")
        let graph = try JSONValue(parsing: json.output)
        #expect(graph["run_id"] == "graphed" && graph["status"] == "running" && graph["workflow"] == "approval")
        let nodes: [JSONValue] = graph["nodes"]?.arrayValue ?? []
        let statuses: [String: String] = Dictionary(uniqueKeysWithValues: nodes.compactMap { node -> (String, String)? in
            guard let step = node["step"]?.stringValue, let status = node["status"]?.stringValue else { return nil }
            return (step, status)
        })
        #expect(statuses == ["prepare": "completed", "approval": "waiting", "done": "pending"])
        let edges: [JSONValue] = graph["edges"]?.arrayValue ?? []
        #expect(edges.contains { $0["from"] == "prepare" && $0["to"] == "approval" })
        #expect(nodes.first { $0["step"] == "approval" }?["signal"] == "approve")

        // From a file: the same graph without statuses.
        let fromFile = await CommandResult.apex("graph", file, "--json")
        #expect(fromFile.status == 0, "\(fromFile.error)")
        let fileGraph = try JSONValue(parsing: fromFile.output)
        #expect(fileGraph.objectValue?.keys.elements == ["workflow", "definition_hash", "nodes", "clusters", "edges"])
        let fileNodes: [JSONValue] = fileGraph["nodes"]?.arrayValue ?? []
        #expect(fileNodes.map { $0["id"] } == nodes.map { $0["id"] })
        #expect(fileNodes.allSatisfy { $0["status"] == nil })

        let unknown = await CommandResult.apex("graph", "--run", "nope", "--db", database)
        #expect(unknown.status == 2)
        #expect(unknown.error == "error: no run with id nope\n")
        #expect(unknown.output.isEmpty)
    }

    @Test func fileAndRunTogetherOrNeitherAreUsageErrors() async {
        let both = await CommandResult.apex("graph", Fixture.valid, "--run", "r1")
        #expect(both.status == 2)
        #expect(both.error.contains("Give a workflow file or --run <run-id>, not both."))
        #expect(both.output.isEmpty)
        let neither = await CommandResult.apex("graph")
        #expect(neither.status == 2)
        #expect(neither.error.contains("Give a workflow file or --run <run-id>."))
        #expect(neither.output.isEmpty)
    }
}
