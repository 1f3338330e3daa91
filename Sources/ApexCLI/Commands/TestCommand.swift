import ApexDSL
import ArgumentParser
import Foundation

/// `apex test [PATH…]`: runs the cases of test files on a virtual clock, offline (docs/testing.md).
struct TestCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run workflow test cases (*.test.yaml) offline, on a virtual clock.",
        discussion: """
            Each path is a test file or a folder (default: the current folder): a folder \
            means every *.test.yaml and *.test.yml file below it, skipping hidden folders. \
            A case runs its workflow on the real engine with an in-memory store: llm and \
            agent steps get the case's scripted replies, http steps its stubbed responses \
            (a request no stub matches fails the case), signals are sent when the run \
            reaches a wait or at a moment of workflow time, and timers take no real time. \
            Then the case's expectations are checked: status, error, output (exact or \
            output_contains), the steps taken, attempts per step, calls per stub.

            Exit status: 0 every case passed; 1 a case failed or a test file has errors; \
            2 a path is missing or holds no test files, or the command line is wrong.

            Examples:
              apex test                                   every test file below this folder
              apex test workflows/triage.test.yaml --filter refund
              apex test --format junit > junit.xml        for CI test reports
              apex test --format github                   annotations in GitHub Actions
              apex test --update workflows/               rewrite expectations after a reviewed change
              OPENAI_API_KEY=… apex test --record --filter "real reply"   save real replies as the case's llm
            """
    )

    @Argument(help: ArgumentHelp("Test files, or folders to search for *.test.yaml files.", valueName: "path"))
    var paths: [String] = ["."]

    @Option(help: "Run only the cases whose name contains this text (case-insensitive).")
    var filter: String?

    @Option(help: "How to print results: text, json, junit (JUnit XML) or github (annotations).")
    var format: TestReportFormat = .text

    @Flag(help: "Rewrite the expectations of the cases run with what their runs did.")
    var update = false

    @Flag(help: "Run against the real providers and save their replies as the cases' llm replies.")
    var record = false

    @OptionGroup var colorOption: ColorOption

    func validate() throws {
        if update && record { throw ValidationError("--update and --record rewrite different parts of a case: give one at a time") }
    }

    func run(console: Console) async throws -> ExitCode {
        let began = Date()
        let settings = Settings(console: console)
        let collector = WorkflowFileCollector(paths: paths, accepts: WorkflowTestFile.isTestFile, kind: "test files (*.test.yaml, *.test.yml)")
        let errorStyle = console.style(for: console.error)
        for problem in collector.problems { console.error.writeLine(problem.rendered(style: errorStyle)) }
        var results: [FileResult] = []
        var unreadable = false
        for path in collector.files {
            guard let data = FileManager.default.contents(atPath: path) else {
                console.error.writeLine(InputProblem(path: path, message: "cannot read the file").rendered(style: errorStyle))
                unreadable = true
                continue
            }
            let result = await runFile(path, data: data, settings: settings, console: console)
            results.append(result)
            switch format {
            case .text: console.output.write(TestResultRenderer.text(result, colors: console.style(for: console.output).isEnabled))
            case .github: console.output.write(TestResultRenderer.github(result))
            case .json, .junit: break
            }
        }
        let seconds = Date().timeIntervalSince(began)
        switch format {
        case .text, .github: console.error.writeLine(TestResultRenderer.summary(results, seconds: seconds))
        case .json: console.output.write(TestResultRenderer.json(results, seconds: seconds).prettyJSON + "\n")
        case .junit: console.output.write(TestResultRenderer.junit(results, seconds: seconds))
        }
        if !collector.problems.isEmpty || unreadable { return .badInput }
        return results.contains { $0.failedCount > 0 } ? .problemsFound : .success
    }

    private func runFile(_ path: String, data: Data, settings: Settings, console: Console) async -> FileResult {
        let parsed = WorkflowTestParser.parse(data: data, path: path)
        guard let file = parsed.file else {
            return FileResult(path: path, invalid: DiagnosticReport(path: path, source: parsed.source, diagnostics: parsed.diagnostics.sorted), cases: [])
        }
        var rewriter = TestFileRewriter(file.source)
        var results: [CaseResult] = []
        for testCase in file.cases where filter.map({ testCase.name.localizedCaseInsensitiveContains($0) }) ?? true {
            let began = Date()
            let outcome = await CaseRunner().run(testCase, settings: settings, record: record)
            // Updated, a case fails only for what no expectation covers (a request no stub matched).
            let failures = update ? outcome.problems.map { ExpectationCheck.Failure(message: $0) } : ExpectationCheck.failures(of: testCase.expect, in: outcome)
            results.append(CaseResult(testCase: testCase, failures: failures, seconds: Date().timeIntervalSince(began)))
            if update {
                rewriter.set("expect", to: testCase.updatedExpectations(outcome), replacing: testCase.expectRange, inCase: testCase.range)
            } else if record, case .object(let replies)? = outcome.recorded {
                rewriter.set("llm", to: replies, replacing: testCase.llmRange, inCase: testCase.range)
            }
        }
        if update || record, !results.isEmpty {
            do {
                try rewriter.text().write(toFile: path, atomically: true, encoding: .utf8)
                console.error.writeLine("\(path): \(update ? "expectations" : "llm replies") of \(results.count) case(s) rewritten")
            } catch {
                console.error.writeLine("\(path): error: cannot rewrite the file: \(error)")
            }
        }
        return FileResult(path: path, invalid: nil, cases: results)
    }
}
