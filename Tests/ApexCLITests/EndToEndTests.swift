import ApexDSL
import Foundation
import Testing

/// The built `apex` binary, run as a user or a CI job would run it.
@Suite(.enabled(if: ApexBinary.url != nil, "the apex executable has not been built"))
struct EndToEndTests {
    private let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
        try folder.write("workflows/valid.yaml", Fixture.text(of: Fixture.valid))
        try folder.write("workflows/nested/also-valid.yml", Fixture.text(of: Fixture.valid))
        try folder.write("broken/broken.yaml", Fixture.text(of: Fixture.brokenSyntax))
        try folder.write("warned/unreachable.yaml", Fixture.text(of: Fixture.unreachableStep))
    }

    private func apex(_ arguments: String...) throws -> CommandResult {
        try ApexBinary.run(arguments, in: folder.path)
    }

    @Test func validFolderExitsZero() throws {
        let result = try apex("validate", "workflows")
        #expect(result.status == 0)
        #expect(result.output.isEmpty)
        #expect(result.error == "✓ 2 files valid\n")
    }

    @Test func brokenYAMLExitsOne() throws {
        let result = try apex("validate", "broken/broken.yaml")
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("broken/broken.yaml:"))
        #expect(result.output.contains("[yaml-syntax]"))
    }

    @Test func nonexistentPathExitsTwo() throws {
        let result = try apex("validate", "nope.yaml")
        #expect(result.status == 2)
        #expect(result.error.contains("nope.yaml: error: no such file or folder"))
    }

    @Test func unknownFlagExitsTwoNotSixtyFour() throws {
        let result = try apex("validate", "--no-such-flag", "workflows")
        #expect(result.status == 2)
        #expect(result.error.contains("Unknown option '--no-such-flag'"))
    }

    @Test func dotPrintsPathsWithoutALeadingDotSlash() throws {
        let result = try apex("validate", ".")
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("broken/broken.yaml:"))
        #expect(result.error == "4 files checked: 1 error, 1 warning\n")
    }

    @Test func githubFormatPrintsAnnotations() throws {
        let result = try apex("validate", "--format", "github", "broken", "workflows")
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("::error file=broken/broken.yaml,line=") == true)
    }

    @Test func jsonFormatIsParseable() throws {
        let result = try apex("validate", "--format", "json", "workflows", "broken")
        #expect(result.status == 1)
        let document = try JSONValue(parsing: result.output)
        #expect(document["files"]?.arrayValue?.count == 3)
        #expect(document["errors"] == 1)
    }

    @Test func strictTurnsAWarningIntoExitOne() throws {
        let relaxed = try apex("validate", "warned")
        let strict = try apex("validate", "--strict", "warned")
        #expect(relaxed.status == 0)
        #expect(strict.status == 1)
        #expect(strict.output.contains("[unreachable-step]"))
    }

    @Test(arguments: [
        ("binary.yaml", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x00, 0x00] as [UInt8], "the file is binary"),
        ("empty.yaml", [], "the file holds no YAML document"),
        ("latin1.yaml", Array("name: caf".utf8) + [0xE9, 0x0A], "the file is not valid UTF-8"),
    ])
    func undecodableFileExitsOneWithAClearMessage(name: String, bytes: [UInt8], message: String) throws {
        try folder.write("odd/\(name)", bytes: bytes)
        let result = try apex("validate", "odd/\(name)")
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("odd/\(name):1:"))
        #expect(result.output.contains(message))
    }

    @Test func schemaPrintsJSON() throws {
        let result = try apex("schema")
        #expect(result.status == 0)
        #expect(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) is [String: Any])
    }

    @Test func helpAndVersionExitZero() throws {
        #expect(try apex("--help").status == 0)
        #expect(try apex("--version").output == "0.1.0-dev\n")
    }
}
