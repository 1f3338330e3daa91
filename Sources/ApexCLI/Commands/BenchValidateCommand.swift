import ApexDSL
import ArgumentParser
import Foundation

/// `apex bench validate`: times validation of a generated large workflow and of given files.
struct BenchValidateCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Time validation of a generated workflow and of the given files or folders.",
        discussion: """
            Generates a workflow of --steps steps (llm, http, set and switch steps with \
            expressions reading earlier steps, schemas and retries) and validates it \
            --iterations times; then does the same for all the workflow files under PATH \
            (read from disk on every run, as apex validate does).

            Examples:
              apex bench validate
              apex bench validate --steps 5000 --iterations 20 workflows/
            """
    )

    @Option(help: "Steps in the generated workflow.")
    var steps = 2000

    @Option(help: "Timed runs of each case.")
    var iterations = 50

    @Argument(help: "Workflow files or folders to time as one set.", completion: .yamlFiles)
    var paths: [String] = []

    @OptionGroup var colorOption: ColorOption

    func validate() throws {
        guard steps >= 1, iterations >= 1 else { throw ValidationError("--steps and --iterations must be at least 1") }
    }

    func run(console: Console) async throws -> ExitCode {
        let yaml = SyntheticWorkflow.yaml(steps: steps)
        let data = Data(yaml.utf8)
        let generated = WorkflowValidator.validate(data: data, path: "synthetic.yaml")
        guard !generated.hasErrors else {
            console.error.writeLine("the generated workflow is invalid: \(generated.diagnostics.first?.message ?? "")")
            return .problemsFound
        }
        let sample = LatencySample.measure(iterations: iterations) {
            _ = WorkflowValidator.validate(data: data, path: "synthetic.yaml")
        }
        console.output.writeLine("validate \(steps)-step workflow (\(data.count / 1024) KiB): \(sample.summary)")

        guard !paths.isEmpty else { return .success }
        let collected = WorkflowFileCollector(paths: paths)
        if let problem = collected.problems.first {
            console.error.writeLine(problem.rendered(style: TerminalStyle(enabled: false)))
            return .badInput
        }
        let files = collected.files
        let folderSample = LatencySample.measure(iterations: iterations) {
            for file in files {
                _ = WorkflowValidator.validate(data: FileManager.default.contents(atPath: file) ?? Data(), path: file)
            }
        }
        console.output.writeLine("validate \(paths.joined(separator: " ")) (\(files.count) files): \(folderSample.summary)")
        return .success
    }
}
