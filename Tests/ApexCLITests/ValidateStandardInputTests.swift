import ApexCLI
import ApexDSL
import Foundation
import Testing

/// `apex validate -`: one workflow read from standard input, named `<stdin>` or by
/// `--stdin-filename`.
@Suite struct ValidateStandardInputTests {
    @Test func validInputExitsZeroWithTheSummary() async throws {
        let result = try await CommandResult.apex("validate", "-", standardInput: Fixture.text(of: Fixture.valid))
        #expect(result.status == 0)
        #expect(result.output.isEmpty)
        #expect(result.error == "✓ 1 file valid\n")
    }

    @Test func jsonNamesTheInputStdin() async throws {
        let result = try await CommandResult.apex("validate", "--format", "json", "-", standardInput: Fixture.text(of: Fixture.valid))
        #expect(result.status == 0)
        let document = try JSONValue(parsing: result.output)
        #expect(document["files"]?.arrayValue?.compactMap { $0["path"]?.stringValue } == ["<stdin>"])
    }

    @Test func anErrorIsReportedAtTheSamePlaceAsInTheFile() async throws {
        let fromFile = await CommandResult.apex("validate", Fixture.brokenSyntax)
        let fromInput = try await CommandResult.apex("validate", "-", standardInput: Fixture.text(of: Fixture.brokenSyntax))
        #expect(fromInput.status == 1)
        #expect(fromInput.output.hasPrefix("<stdin>:6:1: error: "))
        #expect(fromInput.output.contains(": error: "))
        #expect(fromInput.output == fromFile.output.replacingOccurrences(of: Fixture.brokenSyntax, with: "<stdin>"))
        #expect(fromInput.error == "1 file checked: 1 error\n")
    }

    @Test func stdinFilenameNamesTheInput() async throws {
        let result = try await CommandResult.apex(
            "validate", "--stdin-filename", "flows/x.yaml", "-", standardInput: Fixture.text(of: Fixture.unknownStep))
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("flows/x.yaml:8:11: error: unknown step \"finsih\""))
        #expect(result.output.contains("flows/x.yaml:10:9: warning: "))
        #expect(!result.output.contains("<stdin>"))
    }

    @Test func emptyInputIsAnEmptyWorkflow() async throws {
        let result = try await CommandResult.apex("validate", "-", standardInput: "")
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("<stdin>:1:"))
        #expect(result.output.contains("no YAML document"))
    }

    @Test func childWorkflowsAreFoundFromTheStdinFilenameFolder() async throws {
        let folder = try TemporaryFolder()
        try folder.write("flows/child.yaml", Fixture.text(of: Fixture.valid))
        let parent = """
            apex: 1
            name: parent
            steps:
              - id: call
                workflow: { file: child.yaml }

            """
        let named = try await CommandResult.apex(
            "validate", "--stdin-filename", folder.path + "/flows/parent.yaml", "-", standardInput: parent)
        #expect(named.status == 0)
        #expect(named.error == "✓ 1 file valid\n")
        // Without a name, the child is looked for in the current folder, where it is not.
        let unnamed = try await CommandResult.apex("validate", "-", standardInput: parent)
        #expect(unnamed.status == 1)
        #expect(unnamed.output.hasPrefix("<stdin>:5:"))
        #expect(unnamed.output.contains("child workflow \"child.yaml\" does not exist"))
    }

    @Test func unreadableInputExitsTwo() async throws {
        // A folder opens for reading, but reading it fails (EISDIR).
        let folder = try TemporaryFolder()
        let input = try #require(FileHandle(forReadingAtPath: folder.path))
        let capture = ConsoleCapture(input: input)
        let status = await ApexCommand.run(arguments: ["validate", "-"], console: capture.console)
        #expect(status == 2)
        #expect(capture.error.hasPrefix("<stdin>: error: cannot read standard input: "))
        #expect(capture.error.hasSuffix("0 files checked; 1 path could not be checked\n"))
    }

    @Test func dashWithAnotherPathIsBadUsage() async throws {
        let result = try await CommandResult.apex("validate", "-", Fixture.valid, standardInput: "")
        #expect(result.status == 2)
        #expect(result.error.contains("'-' reads standard input and must be the only path (got 2 paths)"))
        #expect(result.output.isEmpty)
    }

    @Test func stdinFilenameWithoutDashIsBadUsage() async {
        let result = await CommandResult.apex("validate", "--stdin-filename", "x.yaml", Fixture.valid)
        #expect(result.status == 2)
        #expect(result.error.contains("--stdin-filename applies only to the path '-' (standard input)"))
    }
}
