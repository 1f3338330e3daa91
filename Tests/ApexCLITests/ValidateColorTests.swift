import Testing

@testable import ApexCLI

/// Colours appear only on a terminal, and never with NO_COLOR, TERM=dumb or --no-color.
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
}
