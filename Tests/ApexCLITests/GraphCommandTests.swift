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
        let result = await CommandResult.apex("graph", "--format", "svg", Fixture.valid)
        #expect(result.status == 2)
        #expect(result.output.isEmpty)
    }
}
