import ArgumentParser

/// `apex schema`: prints the JSON Schema of the workflow DSL (docs/cli.md, "`apex schema`").
struct SchemaCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of the workflow DSL, for editors and CI.",
        discussion: """
            The schema (JSON Schema 2020-12) describes the shape of an apex workflow file, \
            version 1: its keys, step kinds and value types. Editors use it for completion \
            and inline errors while you type. It cannot check what needs the whole \
            workflow (step references, expressions, reachability): apex validate does.

            Examples:
              apex schema > apex-workflow-v1.schema.json

            Then point the YAML language server (VS Code, Neovim, Zed) at it, either \
            with a comment at the top of a workflow file:
              # yaml-language-server: $schema=./apex-workflow-v1.schema.json
            or in .vscode/settings.json:
              "yaml.schemas": { "./apex-workflow-v1.schema.json": "workflows/*.yaml" }
            """
    )

    /// The document as printed, ending with a newline (also the file `apex init` writes).
    static var document: String {
        let text = WorkflowJSONSchema.text
        return text.hasSuffix("\n") ? text : text + "\n"
    }

    func run(console: Console) async throws -> ExitCode {
        console.output.write(Self.document)
        return .success
    }
}
