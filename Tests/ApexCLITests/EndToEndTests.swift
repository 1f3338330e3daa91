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

    private func apex(_ arguments: String...) async throws -> CommandResult {
        try await ApexBinary.run(arguments, in: folder.path)
    }

    @Test func validFolderExitsZero() async throws {
        let result = try await apex("validate", "workflows")
        #expect(result.status == 0)
        #expect(result.output.isEmpty)
        #expect(result.error == "✓ 2 files valid\n")
    }

    @Test func brokenYAMLExitsOne() async throws {
        let result = try await apex("validate", "broken/broken.yaml")
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("broken/broken.yaml:"))
        #expect(result.output.contains("[yaml-syntax]"))
    }

    @Test func nonexistentPathExitsTwo() async throws {
        let result = try await apex("validate", "nope.yaml")
        #expect(result.status == 2)
        #expect(result.error.contains("nope.yaml: error: no such file or folder"))
    }

    @Test func unknownFlagExitsTwoNotSixtyFour() async throws {
        let result = try await apex("validate", "--no-such-flag", "workflows")
        #expect(result.status == 2)
        #expect(result.error.contains("Unknown option '--no-such-flag'"))
    }

    @Test func dotPrintsPathsWithoutALeadingDotSlash() async throws {
        let result = try await apex("validate", ".")
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("broken/broken.yaml:"))
        #expect(result.error == "4 files checked: 1 error, 1 warning\n")
    }

    @Test func githubFormatPrintsAnnotations() async throws {
        let result = try await apex("validate", "--format", "github", "broken", "workflows")
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("::error file=broken/broken.yaml,line=") == true)
    }

    @Test func jsonFormatIsParseable() async throws {
        let result = try await apex("validate", "--format", "json", "workflows", "broken")
        #expect(result.status == 1)
        let document = try JSONValue(parsing: result.output)
        #expect(document["files"]?.arrayValue?.count == 3)
        #expect(document["errors"] == 1)
    }

    @Test func strictTurnsAWarningIntoExitOne() async throws {
        let relaxed = try await apex("validate", "warned")
        let strict = try await apex("validate", "--strict", "warned")
        #expect(relaxed.status == 0)
        #expect(strict.status == 1)
        #expect(strict.output.contains("[unreachable-step]"))
    }

    @Test(arguments: [
        ("binary.yaml", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x00, 0x00] as [UInt8], "the file is binary"),
        ("empty.yaml", [], "the file holds no YAML document"),
        ("latin1.yaml", Array("name: caf".utf8) + [0xE9, 0x0A], "the file is not valid UTF-8"),
    ])
    func undecodableFileExitsOneWithAClearMessage(name: String, bytes: [UInt8], message: String) async throws {
        try folder.write("odd/\(name)", bytes: bytes)
        let result = try await apex("validate", "odd/\(name)")
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("odd/\(name):1:"))
        #expect(result.output.contains(message))
    }

    @Test func schemaPrintsJSON() async throws {
        let result = try await apex("schema")
        #expect(result.status == 0)
        #expect(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) is [String: Any])
    }

    @Test func helpAndVersionExitZero() async throws {
        #expect(try await apex("--help").status == 0)
        #expect(try await apex("--version").output == "0.1.0-dev\n")
    }
}
