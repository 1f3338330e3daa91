import ApexDSL
import ArgumentParser
import Foundation

/// `apex init [DIR]`: writes a starter project (docs/cli.md, "`apex init`"), all of it or, when
/// any of its files exists, nothing.
struct InitCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter project: a workflow, its tests, the editor schema, a CI job, .env.example.",
        discussion: """
            Writes in DIR (default: the current folder, created if missing):
              workflows/hello.yaml         a workflow with one llm step
              workflows/hello.test.yaml    its tests, for apex test
              schemas/apex-workflow-v1.schema.json
                                           the JSON Schema that apex schema prints
              .env.example                 the provider variables apex reads
              .github/workflows/apex.yml   a GitHub Actions job: validate and test
              .gitignore                   .env, and .apex/ (a store in the project)

            With --name NAME the workflow is called NAME, and so are its files: \
            workflows/NAME.yaml, workflows/NAME.test.yaml.

            It never replaces a file: when any of them exists, it writes nothing and names \
            each one. The written paths go to standard output, the next steps to standard error.

            Examples:
              apex init
              apex init triage --name triage
              apex init --json

            Exit status: 0 written; 1 a file could not be written (those written before it \
            are removed); 2 a file exists (nothing is written), DIR is a file, or bad usage.
            """
    )

    @Argument(help: ArgumentHelp("The project folder, created if missing.", valueName: "dir"), completion: .directory)
    var directory = "."

    @Option(help: "The workflow's name, which also names its files: lowercase letters, digits, - and _.")
    var name = "hello"

    @Flag(help: "Print {\"written\": [paths]} instead of one path per line.")
    var json = false

    @OptionGroup var colorOption: ColorOption

    func validate() throws {
        guard Identifiers.isWorkflowName(name) else {
            throw ValidationError("--name \"\(name)\" is not a workflow name: it must match ^[a-z][a-z0-9_-]{0,62}$ "
                + "(lowercase letters, digits, '-' and '_', starting with a letter)")
        }
    }

    func run(console: Console) async throws -> ExitCode {
        let project = StarterProject(name: name)
        let files = project.files.map { (path: Self.path($0.path, in: directory), text: $0.text) }
        let conflicts = Self.conflicts(files.map(\.path), in: directory)
        guard conflicts.isEmpty else {
            for conflict in conflicts { console.error.writeLine("apex init: \(conflict); nothing was written") }
            return .badInput
        }
        var written: [String] = []
        for file in files {
            do {
                try FileManager.default.createDirectory(atPath: Self.folder(of: file.path) ?? ".", withIntermediateDirectories: true)
                // Never replaces a file made since the check.
                try Data(file.text.utf8).write(to: URL(fileURLWithPath: file.path), options: .withoutOverwriting)
            } catch {
                for path in written { try? FileManager.default.removeItem(atPath: path) }
                console.error.writeLine("apex init: cannot write \(file.path): \(error.localizedDescription); the files written before it were removed")
                return ExitCode(1)
            }
            written.append(file.path)
        }
        if json {
            console.output.writeLine(JSONValue.object(["written": .array(written.map(JSONValue.string))]).prettyJSON)
        } else {
            for path in written { console.output.writeLine(path) }
        }
        console.error.write(nextSteps(project))
        return .success
    }

    /// What stops the project being written, each a phrase: `DIR is a file, not a folder`,
    /// `PATH exists`, `PATH exists and is not a folder` (a file where a folder goes).
    static func conflicts(_ paths: [String], in directory: String) -> [String] {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), !isFolder.boolValue {
            return ["\(directory) is a file, not a folder"]
        }
        // The folders to create or use, DIR's own and those above it included, outermost first.
        var folders: [String] = []
        for path in paths {
            var next = Self.folder(of: path)
            while let folder = next, !folders.contains(folder) {
                folders.insert(folder, at: 0)
                next = Self.folder(of: folder)
            }
        }
        var conflicts = folders.filter { FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder) && !isFolder.boolValue }
            .map { "\($0) exists and is not a folder" }
        // lstat, not stat: a symbolic link, even a dangling one, is in the way too.
        var info = stat()
        conflicts += paths.filter { lstat($0, &info) == 0 }.map { "\($0) exists" }
        return conflicts
    }

    /// `relative` inside `directory`, as shown and opened: `workflows/hello.yaml` in `.`,
    /// `app/workflows/hello.yaml` in `app/`.
    static func path(_ relative: String, in directory: String) -> String {
        switch trimmed(directory) {
        case ".": relative
        case "/": "/" + relative
        case let folder: folder + "/" + relative
        }
    }

    /// The folder `path` is in; nil for a name alone or a name in `/`, whose folders exist.
    /// (Foundation's `deletingLastPathComponent` traps on a one-letter name such as `x` on
    /// Linux, Swift 6.3.)
    private static func folder(of path: String) -> String? {
        guard let slash = path.lastIndex(of: "/") else { return nil }
        let folder = String(path[..<slash])
        return folder.isEmpty ? nil : folder
    }

    /// `directory` without trailing slashes; `.` for the empty path.
    private static func trimmed(_ directory: String) -> String {
        var folder = directory
        while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
        return folder.isEmpty ? "." : folder
    }

    /// The commands to try next, from the project folder.
    private func nextSteps(_ project: StarterProject) -> String {
        let enter = Self.trimmed(directory) == "." ? "" : "  cd \(BackupCommand.shellQuoted(directory))\n"
        return """
            Next steps:
            \(enter)  apex validate --strict workflows/
              apex test workflows/
              apex run \(project.workflowPath) -i name=Ada --mock-llm

            """
    }
}
