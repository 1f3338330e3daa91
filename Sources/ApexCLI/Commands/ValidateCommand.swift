import ApexDSL
import ArgumentParser

/// `apex validate PATH...`: checks workflow files and reports every problem (docs/cli.md,
/// "`apex validate`").
struct ValidateCommand: ConsoleCommand, ColorChoosing {
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

            The path - reads one workflow from standard input instead, for editors and \
            hooks; it is named <stdin> in diagnostics, or the path given with \
            --stdin-filename, against whose folder child workflow files are then found.

            Diagnostics go to standard output; the summary line and unreadable paths go to \
            standard error. Colours show on a terminal (--color auto), unless FORCE_COLOR=0 or \
            NO_COLOR; --color always or never, or FORCE_COLOR=1, decide otherwise.

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
              apex validate --format sarif workflows/    a SARIF log for code scanning
              apex validate - < draft.yaml               one workflow from standard input
              apex validate --stdin-filename workflows/triage.yaml - < draft.yaml
            """
    )

    @Argument(help: ArgumentHelp(
        "Workflow files, or folders to search for *.yaml and *.yml files; - alone reads one workflow from standard input.",
        valueName: "path"), completion: .yamlFiles)
    var paths: [String]

    @Option(help: """
        How to print diagnostics: text for people, json for scripts, github for annotations in GitHub Actions, \
        sarif for code scanning.
        """)
    var format: DiagnosticFormat = .text

    @Option(name: .customLong("stdin-filename"), help: ArgumentHelp(
        "With -, the path to name standard input by in diagnostics (default <stdin>); child workflow files are found from its folder.",
        valueName: "path"))
    var stdinFilename: String?

    @Flag(help: "Fail on warnings too (exit 1), not only on errors.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Print only the summary line, no diagnostics (text format only).")
    var quiet = false

    @OptionGroup var colorOption: ColorOption

    /// The name of standard input in diagnostics when `--stdin-filename` is not given.
    static let standardInputName = "<stdin>"

    /// Whether the workflow comes from standard input (`apex validate -`).
    private var readsStandardInput: Bool { paths == ["-"] }

    func validate() throws {
        if quiet && format != .text {
            throw ValidationError("--quiet applies only to --format text; use the exit status with --format \(format.rawValue)")
        }
        if paths.count > 1 && paths.contains("-") {
            throw ValidationError("'-' reads standard input and must be the only path (got \(paths.count) paths)")
        }
        if let stdinFilename {
            guard readsStandardInput else {
                throw ValidationError("--stdin-filename applies only to the path '-' (standard input)")
            }
            if stdinFilename.isEmpty { throw ValidationError("--stdin-filename needs a path, not an empty string") }
        }
    }

    func run(console: Console) async throws -> ExitCode {
        let outputStyle = console.style(for: console.output)
        let errorStyle = console.style(for: console.error)
        var tally = ValidationTally(strict: strict)
        var reports: [DiagnosticReport] = []
        var problems: [InputProblem] = []

        func handle(_ outcome: FileOutcome) {
            switch outcome {
            case .unreadable(let problem):
                tally.addProblem()
                problems.append(problem)
                console.error.writeLine(problem.rendered(style: errorStyle))
            case .checked(let report):
                tally.add(report)
                switch format {
                case .text where !quiet: console.output.write(DiagnosticRenderer.text(report, colors: outputStyle.isEnabled))
                case .text: break
                case .github: console.output.write(DiagnosticRenderer.github(report))
                case .json, .sarif: reports.append(report)
                }
            }
        }

        if readsStandardInput {
            handle(FileOutcome.check(reading: console.input, as: stdinFilename ?? Self.standardInputName))
        } else {
            await ValidationPipeline.check(paths: paths, each: handle)
        }
        switch format {
        case .text: console.error.writeLine(tally.summary(style: errorStyle))
        case .json: console.output.writeLine(DiagnosticRenderer.json(reports).prettyJSON)
        case .sarif:
            let log = SARIFReport.document(reports, problems: problems, toolVersion: ApexCommand.version)
            console.output.writeLine(log.prettyJSON)
        case .github: break
        }
        return tally.exitCode
    }
}
