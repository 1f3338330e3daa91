import Foundation
import Testing

@testable import ApexCLI

/// `apex init [DIR]` (docs/cli.md, "`apex init`"): the starter project, all of it or nothing.
@Suite struct InitCommandTests {
    private static let files = [
        "workflows/hello.yaml", "workflows/hello.test.yaml", "schemas/apex-workflow-v1.schema.json",
        ".env.example", ".github/workflows/apex.yml", ".gitignore",
    ]

    /// Every file below `folder`, hidden ones included, as paths relative to it.
    private static func files(in folder: String) -> Set<String> {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var found: Set<String> = []
        for case let relative as String in walker {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isFolder), !isFolder.boolValue {
                found.insert(relative)
            }
        }
        return found
    }

    private static func text(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func writesTheStarterProjectIntoAnEmptyFolder() async throws {
        let folder = try TemporaryFolder()
        let result = await CommandResult.apex("init", folder.path)
        #expect(result.status == 0, "\(result.error)")
        #expect(Self.files(in: folder.path) == Set(Self.files))
        #expect(result.output == Self.files.map { folder.path + "/" + $0 + "\n" }.joined())
        #expect(result.error.contains("Next steps:\n  cd \(folder.path)\n  apex validate --strict workflows/\n"))
        #expect(result.error.contains("apex run workflows/hello.yaml -i name=Ada --mock-llm"))
    }

    @Test func theWorkflowIsValidWithoutWarningsAndPointsAtTheSchema() async throws {
        let folder = try TemporaryFolder()
        #expect(await CommandResult.apex("init", folder.path).status == 0)
        let workflow = folder.path + "/workflows/hello.yaml"
        // Only the workflow: `apex validate` on the folder would read hello.test.yaml as one too.
        let validated = await CommandResult.apex("validate", "--strict", workflow)
        #expect(validated.status == 0, "\(validated.output)")
        #expect(!validated.output.contains("warning"))
        let lines = try Self.text(workflow).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "# yaml-language-server: $schema=../schemas/apex-workflow-v1.schema.json")
        #expect(lines.contains("#   apex run workflows/hello.yaml -i name=Ada --mock-llm"))
        #expect(lines.contains("name: hello"))
        #expect(lines.contains(#"      prompt: "Write a one-line greeting for ${{ input.name }}.""#))
        #expect(lines.contains("    retry: { max_attempts: 3, initial_interval: 2s }"))
        #expect(lines.contains("output: ${{ steps.greet.output.text }}"))
    }

    @Test func theWorkflowRunsOnTheMockProvider() async throws {
        let folder = try TemporaryFolder()
        #expect(await CommandResult.apex("init", folder.path).status == 0)
        let run = await CommandResult.apex("run", folder.path + "/workflows/hello.yaml", "-i", "name=Ada", "--mock-llm",
                                           "--db", "sqlite:" + folder.path + "/runs.db")
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("Write a one-line greeting for Ada."))
    }

    @Test func theSchemaIsWhatApexSchemaPrints() async throws {
        let folder = try TemporaryFolder()
        #expect(await CommandResult.apex("init", folder.path).status == 0)
        let schema = await CommandResult.apex("schema")
        #expect(try Self.text(folder.path + "/schemas/apex-workflow-v1.schema.json") == schema.output)
    }

    @Test func theStarterTestsPassAndTheProjectValidatesClean() async throws {
        let folder = try TemporaryFolder()
        #expect(await CommandResult.apex("init", folder.path).status == 0)
        let tests = await CommandResult.apex("test", folder.path)
        #expect(tests.status == 0, "\(tests.output)\(tests.error)")
        #expect(tests.error.hasPrefix("2 cases: 2 passed, 0 failed"))
        let validate = await CommandResult.apex("validate", "--strict", folder.path + "/workflows")
        #expect(validate.status == 0, "\(validate.output)")
        #expect(validate.error == "✓ 2 files valid\n")
    }

    @Test func theOtherFilesNameWhatApexReads() async throws {
        let folder = try TemporaryFolder()
        #expect(await CommandResult.apex("init", folder.path).status == 0)
        let environment = try Self.text(folder.path + "/.env.example")
        #expect(environment.contains("\nOPENAI_API_KEY=\n"))
        #expect(environment.contains("\n# OPENAI_BASE_URL=http://localhost:11434/v1\n"))
        #expect(environment.contains("\nANTHROPIC_API_KEY=\n"))
        #expect(environment.contains("\n# APEX_HOME=.apex\n"))
        let ignored = try Self.text(folder.path + "/.gitignore").split(separator: "\n")
        #expect(ignored.contains(".apex/") && ignored.contains(".env"))
        let job = try Self.text(folder.path + "/.github/workflows/apex.yml")
        #expect(job.contains(#"git clone --depth 1 "${{ vars.APEX_GIT_URL }}" .apex-src"#))
        #expect(job.contains("swift build -c release --product apex"))
        #expect(job.contains("run: apex validate --strict --format github workflows/"))
        #expect(job.contains("run: apex test workflows/"))
    }

    @Test func createsAMissingFolder() async throws {
        let folder = try TemporaryFolder()
        let project = folder.path + "/new/project/"
        let result = await CommandResult.apex("init", project)
        #expect(result.status == 0, "\(result.error)")
        #expect(Self.files(in: project) == Set(Self.files))
        #expect(result.output.hasPrefix(folder.path + "/new/project/workflows/hello.yaml\n"))
    }

    @Test func anExistingFileStopsEverything() async throws {
        let folder = try TemporaryFolder()
        try folder.write(".gitignore", "mine\n")
        let result = await CommandResult.apex("init", folder.path)
        #expect(result.status == 2)
        #expect(result.output.isEmpty)
        #expect(result.error == "apex init: \(folder.path)/.gitignore exists; nothing was written\n")
        #expect(Self.files(in: folder.path) == [".gitignore"])
        #expect(try Self.text(folder.path + "/.gitignore") == "mine\n")
    }

    @Test func eachExistingFileIsNamed() async throws {
        let folder = try TemporaryFolder()
        try folder.write("workflows/hello.yaml", "apex: 1\n")
        try folder.write(".env.example", "")
        try folder.write("schemas", "not a folder")
        let result = await CommandResult.apex("init", folder.path)
        #expect(result.status == 2)
        #expect(result.error.contains("apex init: \(folder.path)/schemas exists and is not a folder; nothing was written\n"))
        #expect(result.error.contains("apex init: \(folder.path)/workflows/hello.yaml exists; nothing was written\n"))
        #expect(result.error.contains("apex init: \(folder.path)/.env.example exists; nothing was written\n"))
        #expect(Self.files(in: folder.path) == ["workflows/hello.yaml", ".env.example", "schemas"])
    }

    @Test func aFileForTheFolderIsRefused() async throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("project", "")
        let result = await CommandResult.apex("init", file)
        #expect(result.status == 2)
        #expect(result.error == "apex init: \(file) is a file, not a folder; nothing was written\n")
        #expect(Self.files(in: folder.path) == ["project"])
    }

    @Test func jsonListsTheWrittenPaths() async throws {
        let folder = try TemporaryFolder()
        let result = await CommandResult.apex("init", folder.path, "--json")
        #expect(result.status == 0, "\(result.error)")
        let document = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        #expect(document?.keys.sorted() == ["written"])
        #expect(document?["written"] as? [String] == Self.files.map { folder.path + "/" + $0 })
    }

    @Test func theNameNamesTheWorkflowAndItsFiles() async throws {
        let folder = try TemporaryFolder()
        #expect(await CommandResult.apex("init", folder.path, "--name", "triage").status == 0)
        #expect(Self.files(in: folder.path).contains("workflows/triage.yaml"))
        #expect(try Self.text(folder.path + "/workflows/triage.yaml").contains("\nname: triage\n"))
        #expect(try Self.text(folder.path + "/workflows/triage.test.yaml").contains("\nworkflow: triage.yaml\n"))
        #expect(await CommandResult.apex("validate", "--strict", folder.path + "/workflows/triage.yaml").status == 0)
    }

    @Test(arguments: ["Hello", "1st", "with space", ""])
    func aNameThatIsNotAWorkflowNameIsBadUsage(name: String) async throws {
        let folder = try TemporaryFolder()
        let result = await CommandResult.apex("init", folder.path, "--name", name)
        #expect(result.status == 2)
        #expect(result.error.contains("is not a workflow name"))
        #expect(Self.files(in: folder.path).isEmpty)
    }

    @Test(arguments: [(".", "workflows/a.yaml"), ("./", "workflows/a.yaml"), ("app/", "app/workflows/a.yaml"), ("/", "/workflows/a.yaml"),
                      ("x", "x/workflows/a.yaml")])
    func pathsAreShownAsTheFolderWasWritten(folder: String, shown: String) {
        #expect(InitCommand.path("workflows/a.yaml", in: folder) == shown)
    }
}
