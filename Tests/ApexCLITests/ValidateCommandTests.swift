import ApexDSL
import Foundation
import Testing

@testable import ApexCLI

/// `apex validate` run in-process: what it prints where, and its exit status.
@Suite struct ValidateCommandTests {
    @Test func validFileExitsZeroWithASummaryOnly() async {
        let result = await CommandResult.apex("validate", Fixture.valid)
        #expect(result.status == 0)
        #expect(result.output.isEmpty)
        #expect(result.error == "✓ 1 file valid\n")
    }

    @Test func brokenYAMLExitsOneWithACompilerStyleDiagnostic() async {
        let result = await CommandResult.apex("validate", Fixture.brokenSyntax)
        #expect(result.status == 1)
        #expect(result.output.hasPrefix(Fixture.brokenSyntax + ":"))
        #expect(result.output.contains(": error: "))
        #expect(result.output.contains("[yaml-syntax]\n"))
        #expect(result.output.contains("|"))
        #expect(result.output.contains("^"))
        #expect(result.error == "1 file checked: 1 error\n")
    }

    @Test func missingPathExitsTwoNamingIt() async {
        let missing = "/nonexistent/apex/flow.yaml"
        let result = await CommandResult.apex("validate", missing)
        #expect(result.status == 2)
        #expect(result.error.contains("\(missing): error: no such file or folder\n"))
        #expect(result.output.isEmpty)
    }

    @Test func unreadableInputDominatesErrors() async {
        let result = await CommandResult.apex("validate", Fixture.brokenSyntax, "/nonexistent.yaml", Fixture.valid)
        #expect(result.status == 2)
        #expect(result.output.contains("[yaml-syntax]"))
        #expect(result.error.hasSuffix("2 files checked: 1 error; 1 path could not be checked\n"))
    }

    @Test func folderWithoutWorkflowsExitsTwo() async throws {
        let folder = try TemporaryFolder()
        try folder.write("notes.txt", "not a workflow")
        try folder.write(".hidden/flow.yaml", Fixture.text(of: Fixture.valid))
        let result = await CommandResult.apex("validate", folder.path)
        #expect(result.status == 2)
        #expect(result.error.contains("\(folder.path): error: no workflow files (*.yaml, *.yml) in this folder"))
    }

    @Test(arguments: [
        ("binary", [0x61, 0x3A, 0x00, 0x01, 0x02] as [UInt8], "binary"),
        ("empty", [], "no YAML document"),
        ("bad-utf8", [0x61, 0x3A, 0x20, 0xC3, 0x28, 0x0A], "not valid UTF-8"),
    ])
    func undecodableFilesAreErrorsNotUnreadable(name: String, bytes: [UInt8], phrase: String) async throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("\(name).yaml", bytes: bytes)
        let result = await CommandResult.apex("validate", file)
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("\(file):1:"))
        #expect(result.output.contains(phrase))
    }

    @Test(.enabled(if: getuid() != 0, "root reads files whatever their permissions"))
    func unreadableFileExitsTwo() async throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("secret.yaml", Fixture.text(of: Fixture.valid))
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: file)
        let result = await CommandResult.apex("validate", file)
        #expect(result.status == 2)
        #expect(result.error.contains("\(file): error: cannot read the file: permission denied"))
    }

    @Test func jsonFormatPrintsOneDocumentForAllFiles() async throws {
        let result = await CommandResult.apex("validate", "--format", "json", Fixture.valid, Fixture.brokenSyntax)
        #expect(result.status == 1)
        #expect(result.error.isEmpty)
        let document = try JSONValue(parsing: result.output)
        #expect(document["files"]?.arrayValue?.compactMap { $0["path"]?.stringValue } == [Fixture.valid, Fixture.brokenSyntax])
        #expect(document["errors"] == 1)
        #expect(document["warnings"] == 0)
        #expect(document["files"]?.arrayValue?.last?["diagnostics"]?.arrayValue?.first?["rule"] == "yaml-syntax")
    }

    @Test func githubFormatPrintsWorkflowCommands() async {
        let result = await CommandResult.apex("validate", "--format", "github", Fixture.brokenSyntax)
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("::error file=\(Fixture.brokenSyntax),line="))
        #expect(result.output.contains(",title=yaml-syntax::"))
        #expect(result.error.isEmpty)
    }

    @Test func quietPrintsOnlyTheSummary() async {
        let result = await CommandResult.apex("validate", "--quiet", Fixture.brokenSyntax)
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(result.error == "1 file checked: 1 error\n")
    }

    @Test func quietWithAnotherFormatIsBadUsage() async {
        let result = await CommandResult.apex("validate", "-q", "--format", "json", Fixture.valid)
        #expect(result.status == 2)
        #expect(result.error.contains("--quiet applies only to --format text"))
    }

    @Test func strictTurnsAWarningIntoFailure() async {
        let relaxed = await CommandResult.apex("validate", Fixture.unreachableStep)
        let strict = await CommandResult.apex("validate", "--strict", Fixture.unreachableStep)
        #expect(relaxed.status == 0)
        #expect(relaxed.output.contains("[unreachable-step]"))
        #expect(relaxed.error == "1 file checked: 1 warning\n")
        #expect(strict.status == 1)
    }
}
