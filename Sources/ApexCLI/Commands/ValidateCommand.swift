import ApexDSL
import ArgumentParser

/// `apex validate PATH...`: checks workflow files and reports every problem (docs/cli.md,
/// "`apex validate`").
struct ValidateCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check workflow files and report every problem in them.",
        discussion: """
            Each path is a workflow file or a folder. A folder means every *.yaml and *.yml \
            file below it, in path order, skipping hidden files and folders (.git, .build). \
            Files are checked concurrently and reported in order, each problem with its \
            line, column and rule id, like a compiler:

              triage.yaml:14:11: error: unknown step "drafts" [unknown-step]
                 14 |     next: drafts
                    |           ^~~~~~

            Diagnostics go to standard output; the summary line and unreadable paths go to \
            standard error. Colours show only on a terminal, without NO_COLOR or --no-color.

            Exit status: 0 every file is valid; 1 errors were found (or warnings, with \
            --strict); 2 a path is missing, unreadable or a folder without workflow files, \
            or the command line is wrong. A path that cannot be read gives 2 even when \
            other files have errors: the check is incomplete.

            Examples:
              apex validate workflows/triage.yaml
              apex validate workflows/                   every workflow below the folder
              apex validate --strict workflows/          warnings fail too
              apex validate --format github workflows/   annotations in GitHub Actions
              apex validate --format json workflows/ | jq '.files[].diagnostics[].rule'
            """
    )

    @Argument(help: ArgumentHelp("Workflow files, or folders to search for *.yaml and *.yml files.", valueName: "path"), completion: .yamlFiles)
    var paths: [String]

    @Option(help: "How to print diagnostics: text for people, json for scripts, github for annotations in GitHub Actions.")
    var format: DiagnosticFormat = .text

    @Flag(help: "Fail on warnings too (exit 1), not only on errors.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Print only the summary line, no diagnostics (text format only).")
    var quiet = false

    @Flag(name: .customLong("no-color"), help: "Never colour the output.")
    var noColor = false

    func validate() throws {
        if quiet && format != .text {
            throw ValidationError("--quiet applies only to --format text; use the exit status with --format \(format.rawValue)")
        }
    }

    func run(console: Console) async throws -> ExitCode {
        let outputStyle = console.style(for: console.output, disabled: noColor)
        let errorStyle = console.style(for: console.error, disabled: noColor)
        var tally = ValidationTally(strict: strict)
        var reports: [DiagnosticReport] = []

        await ValidationPipeline.check(paths: paths) { outcome in
            switch outcome {
            case .unreadable(let problem):
                tally.addProblem()
                console.error.writeLine(problem.rendered(style: errorStyle))
            case .checked(let report):
                tally.add(report)
                switch format {
                case .text where !quiet: console.output.write(DiagnosticRenderer.text(report, colors: outputStyle.isEnabled))
                case .text: break
                case .github: console.output.write(DiagnosticRenderer.github(report))
                case .json: reports.append(report)
                }
            }
        }
        switch format {
        case .text: console.error.writeLine(tally.summary(style: errorStyle))
        case .json: console.output.writeLine(DiagnosticRenderer.json(reports).prettyJSON)
        case .github: break
        }
        return tally.exitCode
    }
}
