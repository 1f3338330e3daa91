import Testing

@testable import ApexCLI

/// Colours appear only on a terminal, and never with NO_COLOR, TERM=dumb or --no-color; the
/// flag `--color`, then FORCE_COLOR, then NO_COLOR, then the terminal decide.
@Suite struct ValidateColorTests {
    private let escape = "\u{1B}["

    @Test func colorsDiagnosticsAndSummaryOnATerminal() async {
        let result = await CommandResult.apex("validate", Fixture.brokenSyntax, isTerminal: true)
        #expect(result.status == 1)
        #expect(result.output.contains("\(escape)1;31merror:\(escape)0m"))
        #expect(result.output.contains("\(escape)1;32m^"))
        #expect(result.error.contains("\(escape)1;31m1 error\(escape)0m"))
    }

    @Test func greetsAValidFileWithAGreenCheck() async {
        let result = await CommandResult.apex("validate", Fixture.valid, isTerminal: true)
        #expect(result.error == "\(escape)1;32m✓\(escape)0m 1 file valid\n")
    }

    @Test(arguments: [
        (["NO_COLOR": "1"], [String]()),
        (["TERM": "dumb"], []),
        ([:], ["--no-color"]),
    ])
    func staysPlainWhenAskedTo(environment: [String: String], flags: [String]) async {
        let capture = ConsoleCapture(environment: environment, isTerminal: true)
        let status = await ApexCommand.run(arguments: ["validate"] + flags + [Fixture.brokenSyntax], console: capture.console)
        #expect(status == 1)
        #expect(!capture.output.contains(escape))
        #expect(!capture.error.contains(escape))
    }

    @Test func ignoresAnEmptyNoColor() {
        let console = ConsoleCapture(environment: ["NO_COLOR": ""], isTerminal: true).console
        #expect(console.allowsColor(on: console.output))
    }

    @Test func staysPlainOffATerminal() async {
        let result = await CommandResult.apex("validate", Fixture.brokenSyntax, isTerminal: false)
        #expect(!result.output.contains(escape))
        #expect(!result.error.contains(escape))
    }

    /// Each step of the precedence: the flag, FORCE_COLOR, NO_COLOR, the terminal.
    @Test(arguments: [
        // --color wins over everything.
        (["--color", "always"], [String: String](), false, true),
        (["--color", "always"], ["NO_COLOR": "1", "FORCE_COLOR": "0"], false, true),
        (["--color", "never"], ["FORCE_COLOR": "1"], true, false),
        (["--color", "never", "--no-color"], [:], true, false),
        (["--no-color"], ["FORCE_COLOR": "1"], true, false),
        (["--color", "auto"], [:], true, true),
        // Then FORCE_COLOR, over NO_COLOR and the terminal.
        ([], ["FORCE_COLOR": "1"], false, true),
        ([], ["FORCE_COLOR": "true", "NO_COLOR": "1"], false, true),
        ([], ["FORCE_COLOR": "0"], true, false),
        ([], ["FORCE_COLOR": "false"], true, false),
        ([], ["FORCE_COLOR": "0", "NO_COLOR": ""], true, false),
        // Then NO_COLOR.
        ([], ["NO_COLOR": "1", "FORCE_COLOR": ""], true, false),
        // Then the terminal.
        ([], [:], true, true),
        ([], [:], false, false),
    ])
    func colorPrecedence(flags: [String], environment: [String: String], isTerminal: Bool, colored: Bool) async {
        let capture = ConsoleCapture(environment: environment, isTerminal: isTerminal)
        let status = await ApexCommand.run(arguments: ["validate"] + flags + [Fixture.brokenSyntax], console: capture.console)
        #expect(status == 1)
        #expect(capture.output.contains(escape) == colored, "\(flags) \(environment) terminal: \(isTerminal)")
        #expect(capture.error.contains(escape) == colored)
    }

    @Test func rejectsAnUnknownColorMode() async {
        let result = await CommandResult.apex("validate", "--color", "sometimes", Fixture.valid)
        #expect(result.status == 2)
        #expect(result.error.contains("--color"))
    }

    /// `apex test` colours its case lines by the same rules.
    @Test(arguments: [
        (["--color", "always"], [String: String](), false, true),
        (["--color", "never"], ["FORCE_COLOR": "1"], true, false),
        ([], ["FORCE_COLOR": "1", "NO_COLOR": "1"], false, true),
        ([], ["FORCE_COLOR": "0"], true, false),
        ([], ["NO_COLOR": "1"], true, false),
        ([], [:], true, true),
        ([], [:], false, false),
    ])
    func testCommandFollowsThePrecedence(flags: [String], environment: [String: String], isTerminal: Bool, colored: Bool) async throws {
        let project = try TestCommandTests()
        _ = try project.project("""
            workflow: hello.yaml
            cases:
              - name: greets
                input: {name: Ada}
                llm: {greet: "Hello, Ada!"}
                expect: {output: "Hello, Ada!"}
            """)
        let capture = ConsoleCapture(environment: environment, isTerminal: isTerminal)
        let status = await ApexCommand.run(arguments: ["test"] + flags + [project.folder.path], console: capture.console)
        #expect(status == 0, "\(capture.output)\(capture.error)")
        #expect(capture.output.contains("\(escape)1;32m✓") == colored, "\(flags) \(environment) terminal: \(isTerminal)")
    }
}
