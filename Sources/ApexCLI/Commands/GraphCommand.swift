import ApexCompiler
import ApexDSL
import ArgumentParser
import Foundation

/// `apex graph FILE`: validates a workflow, compiles it and prints its state machine (docs/cli.md,
/// "`apex graph`").
struct GraphCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print the compiled state machine of a workflow as a Mermaid or Graphviz graph.",
        discussion: """
            The workflow is validated first. When it has errors they are printed on standard \
            error like apex validate prints them, and nothing is drawn; warnings are printed \
            there too, and the graph still is.

            The graph has one node per step (its id and kind), a start and an end node, a \
            subgraph per parallel branch and foreach body followed by its join node, and \
            edges labelled with switch conditions as written, "if false" for a skipped \
            step and "catch: <errors>" for a caught error.

            Exit status: 0 the graph was printed; 1 the workflow has errors; 2 the file \
            cannot be read, or the command line is wrong.

            Examples:
              apex graph workflows/triage.yaml > triage.mmd
              apex graph --format dot workflows/triage.yaml | dot -Tsvg > triage.svg
            """
    )

    @Argument(help: ArgumentHelp("The workflow file.", valueName: "file"))
    var file: String

    @Option(help: "mermaid for Markdown and the Mermaid editor, dot for Graphviz.")
    var format: GraphFormat = .mermaid

    func run(console: Console) async throws -> ExitCode {
        let errorStyle = console.style(for: console.error)
        // One byte past the largest workflow, so the validator reports an oversized file.
        let data: Data
        switch FileSystem.contents(of: file, limit: WorkflowSourceLoader.maxFileSize + 1) {
        case .failure(let problem):
            console.error.writeLine(problem.rendered(style: errorStyle))
            return .badInput
        case .success(let contents):
            data = contents
        }
        let result = WorkflowValidator.validate(data: data, path: file)
        let report = DiagnosticReport(path: file, source: result.source, diagnostics: result.diagnostics, truncatedCount: result.truncatedCount)
        console.error.write(DiagnosticRenderer.text(report, colors: errorStyle.isEnabled))
        do throws(CompileError) {
            let plan = try Compiler.compile(result)
            console.output.write(format == .dot ? plan.dot : plan.mermaid)
            return .success
        } catch {
            // Validation errors are already printed above; anything else is the compiler's own.
            if case .malformed = error { console.error.writeLine(InputProblem(path: file, message: error.description).rendered(style: errorStyle)) }
            return .problemsFound
        }
    }
}
