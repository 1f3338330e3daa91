import ArgumentParser

/// The root of the `apex` command line: a namespace for the subcommands, each in `Commands/`.
///
/// Run it with ``main()`` from the executable, or in-process with ``run(arguments:console:)``,
/// which returns the exit status instead of exiting.
public struct ApexCommand: AsyncParsableCommand {
    /// The version printed by `apex --version`.
    public static let version = "0.1.0-dev"

    /// The command's name, help and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "apex",
        abstract: "Run agent workflows written in YAML on a durable engine.",
        discussion: """
            A workflow is a YAML file of steps (LLM calls, HTTP calls, waits for signals, \
            timers, branches, loops). apex checks it like a compiler, compiles it to a \
            deterministic state machine and runs it so that it survives crashes and restarts.

            Start a project with a workflow, its tests, the editor schema and a CI job:
              apex init my-flows

            Then check your workflows; every problem is reported at once, with the \
            line and column and a rule id:
              apex validate workflows/
              apex validate --strict --format github workflows/   (in CI)

            See the state machine a workflow compiles to, as Mermaid, Graphviz or SVG:
              apex graph workflows/triage.yaml

            Point your editor at the DSL's JSON Schema for completion while you type:
              apex schema > apex-workflow-v1.schema.json

            Run, list, show and signal runs on a server's HTTP API instead of a local store \
            (APEX_TOKEN is its bearer token):
              apex --server http://127.0.0.1:8080 runs
              APEX_SERVER=https://apex.internal apex show ticket-42 --watch

            Exit status: 0 success, 1 problems found, 2 unreadable input or bad usage.
            """,
        version: version,
        subcommands: [
            InitCommand.self, ValidateCommand.self, TestCommand.self, GraphCommand.self, SchemaCommand.self,
            RunCommand.self, ResumeCommand.self, WorkerCommand.self, ServeCommand.self, SignalCommand.self, CancelCommand.self,
            RunsCommand.self, ShowCommand.self, HistoryCommand.self, ReplayCommand.self, MigrateCommand.self,
            BackupCommand.self, ExportCommand.self, ImportCommand.self, SignCommand.self,
            MCPCommand.self, LSPCommand.self, BenchCommand.self, CompletionCommand.self,
        ]
    )

    /// Creates the root command (ArgumentParser calls this while parsing).
    public init() {}
}
