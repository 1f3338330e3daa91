import ArgumentParser

/// `apex completion SHELL`: prints the shell completion script (docs/cli.md, "`apex completion`").
struct CompletionCommand: ConsoleCommand {
    /// The shells ArgumentParser writes completion scripts for.
    enum Shell: String, CaseIterable, ExpressibleByArgument {
        case bash, zsh, fish

        var completionShell: CompletionShell {
            switch self {
            case .bash: .bash
            case .zsh: .zsh
            case .fish: .fish
            }
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print the completion script of bash, zsh or fish for apex.",
        discussion: """
            The script completes commands and options, workflow files (*.yaml, *.yml) and \
            folders where a workflow goes, JSON files where a JSON file goes, and run ids \
            (resume, signal, cancel, show, history, replay, export, graph --run): the \(RunIDCompletion.limit) \
            newest runs of the SQLite store the command line names (--db, --namespace, else \
            APEX_DATABASE_URL and APEX_HOME), asked of apex at each Tab. With a PostgreSQL \
            store or a server no run ids are offered.

            Examples (install once; docs/cli.md, "apex completion"):
              bash  source <(apex completion bash)          in ~/.bashrc
              zsh   apex completion zsh > ~/.zfunc/_apex
                    with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc
              fish  apex completion fish > ~/.config/fish/completions/apex.fish

            Exit status: 0 printed, 2 an unknown shell or bad usage.
            """
    )

    @Argument(help: "The shell.")
    var shell: Shell

    func run(console: Console) async throws -> ExitCode {
        let script = ApexCommand.completionScript(for: shell.completionShell)
        console.output.write(script.hasSuffix("\n") ? script : script + "\n")
        return .success
    }
}
