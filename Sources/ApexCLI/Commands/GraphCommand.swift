import ApexCompiler
import ApexDSL
import ApexEngine
import ApexServer
import ArgumentParser
import Foundation

/// `apex graph FILE` / `apex graph --run RUN`: prints the state machine of a workflow, or of a
/// run with its steps' statuses (docs/cli.md, "`apex graph`").
struct GraphCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print the compiled state machine of a workflow, or of a run with its steps' statuses, as Mermaid, Graphviz or SVG.",
        discussion: """
            The workflow is validated first. When it has errors they are printed on standard \
            error like apex validate prints them, and nothing is drawn; warnings are printed \
            there too, and the graph still is.

            The graph has one node per step (its id and kind), a start and an end node, a \
            subgraph per parallel branch and foreach body followed by its join node, and \
            edges labelled with switch conditions as written, "if false" for a skipped \
            step and "catch: <errors>" for a caught error. The svg format lays it out itself \
            (no Graphviz needed): branches side by side, loops as edges going back up on the \
            right.

            With --run instead of a file, the graph is the run's pinned workflow, each step \
            coloured by its latest status: pending (not reached), scheduled, running, waiting, \
            retrying, completed, failed, cancelled or skipped.

            With --json, the graph is printed as JSON instead (nodes, clusters and edges, as \
            the HTTP API's graph endpoints answer; with --run, each step's status, visits and \
            attempts, and the run's id and status).

            Exit status: 0 the graph was printed; 1 the workflow has errors; 2 the file \
            cannot be read, the run does not exist, or the command line is wrong.

            Examples:
              apex graph workflows/triage.yaml > triage.mmd
              apex graph --format svg workflows/triage.yaml > triage.svg
              apex graph --format dot workflows/triage.yaml | dot -Tsvg > triage.svg
              apex graph --run 01JD3K7Q2M8R5T9V4W6X0Y1Z2A --format svg > run.svg
              apex graph --run 01JD3K7Q2M8R5T9V4W6X0Y1Z2A --json
            """
    )

    @Argument(help: ArgumentHelp("The workflow file (or --run).", valueName: "file"), completion: .yamlFiles)
    var file: String?

    @Option(name: .customLong("run"), help: ArgumentHelp("Draw this run's workflow with each step's status, instead of a file.", valueName: "run-id"),
            completion: .runIDs)
    var runID: String?

    @Option(help: "mermaid for Markdown and the Mermaid editor, dot for Graphviz, svg for an image.")
    var format: GraphFormat = .mermaid

    @Flag(help: "Print the graph as JSON (nodes, clusters, edges; with --run, each step's status) instead of --format.")
    var json = false

    @OptionGroup var store: StoreOptions

    @OptionGroup var colorOption: ColorOption

    func validate() throws {
        switch (file, runID) {
        case (nil, nil): throw ValidationError("Give a workflow file or --run <run-id>.")
        case (.some, .some): throw ValidationError("Give a workflow file or --run <run-id>, not both.")
        default: break
        }
    }

    func run(console: Console) async throws -> ExitCode {
        if let runID { return try await drawRun(runID, console: console) }
        return drawFile(file ?? "", console: console)
    }

    private func drawFile(_ file: String, console: Console) -> ExitCode {
        let errorStyle = console.style(for: console.error)
        switch Self.draw(file: file, format: format, json: json) {
        case .unreadable(let problem):
            console.error.writeLine(problem.rendered(style: errorStyle))
            return .badInput
        case .drawn(let graph, let report):
            console.error.write(DiagnosticRenderer.text(report, colors: errorStyle.isEnabled))
            console.output.write(graph)
            return .success
        case .invalid(let report, let malformed):
            console.error.write(DiagnosticRenderer.text(report, colors: errorStyle.isEnabled))
            if let malformed { console.error.writeLine(malformed.rendered(style: errorStyle)) }
            return .problemsFound
        }
    }

    /// What drawing a workflow file gave (`apex graph FILE`, the `graph` tool of `apex mcp`).
    enum Drawing {
        /// The graph, and the file's diagnostics (warnings, or none).
        case drawn(String, DiagnosticReport)
        /// The file cannot be read.
        case unreadable(InputProblem)
        /// The workflow has errors (in the report), or the compiler refused it (`malformed`).
        case invalid(DiagnosticReport, malformed: InputProblem?)
    }

    /// Validates and compiles the workflow at `file` and draws it in `format`.
    static func draw(file: String, format: GraphFormat, json: Bool = false) -> Drawing {
        // One byte past the largest workflow, so the validator reports an oversized file.
        let data: Data
        switch FileSystem.contents(of: file, limit: WorkflowSourceLoader.maxFileSize + 1) {
        case .failure(let problem): return .unreadable(problem)
        case .success(let contents): data = contents
        }
        let result = WorkflowValidator.validate(data: data, path: file)
        let report = DiagnosticReport(path: file, source: result.source, diagnostics: result.diagnostics, truncatedCount: result.truncatedCount)
        do throws(CompileError) {
            let plan = try Compiler.compile(result)
            return .drawn(json ? plan.graphJSON().prettyJSON + "\n" : render(plan, format: format, statuses: [:]), report)
        } catch {
            // Validation errors are in the report; anything else is the compiler's own.
            if case .malformed = error { return .invalid(report, malformed: InputProblem(path: file, message: error.description)) }
            return .invalid(report, malformed: nil)
        }
    }

    private func drawRun(_ runID: String, console: Console) async throws -> ExitCode {
        let engine = try await EngineFactory.engine(console, store: store, llm: nil)
        guard let run = try await ReplayedRun.load(runID, from: engine) else {
            console.error.writeLine("error: no run with id \(runID)")
            return .badInput
        }
        if json {
            console.output.writeLine(RunGraph.json(plan: run.plan, steps: run.steps, record: run.record).prettyJSON)
            return .success
        }
        console.output.write(Self.render(run.plan, format: format, statuses: StateProgress.byState(run.steps).mapValues(\.status)))
        return .success
    }

    private static func render(_ plan: Plan, format: GraphFormat, statuses: [StateID: String]) -> String {
        switch format {
        case .mermaid: plan.mermaid(statuses: statuses)
        case .dot: plan.dot(statuses: statuses)
        case .svg: plan.svg(statuses: statuses)
        }
    }
}
