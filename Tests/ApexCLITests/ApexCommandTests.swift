import ArgumentParser
import Testing

@testable import ApexCLI

/// The root command: help, version and how parse errors map to the exit statuses of docs/cli.md,
/// "Exit status".
@Suite struct ApexCommandTests {
    @Test func unknownFlagIsBadUsageWithStatusTwoNotSixtyFour() async {
        let result = await CommandResult.apex("validate", Fixture.valid, "--frobnicate")
        #expect(result.status == 2)
        #expect(result.error.contains("Unknown option '--frobnicate'"))
        #expect(result.error.contains("Usage: apex validate"))
        #expect(result.output.isEmpty)
    }

    @Test func missingPathIsBadUsage() async {
        let result = await CommandResult.apex("validate")
        #expect(result.status == 2)
        #expect(result.error.contains("Missing expected argument '<path> ...'"))
    }

    @Test func badFormatValueIsBadUsage() async {
        let result = await CommandResult.apex("validate", "--format", "xml", Fixture.valid)
        #expect(result.status == 2)
        #expect(result.error.contains("xml"))
    }

    @Test func unknownSubcommandIsBadUsage() async {
        let result = await CommandResult.apex("frobnicate")
        #expect(result.status == 2)
    }

    @Test(arguments: [["--help"], ["help"], ["help", "validate"], ["validate", "--help"], ["schema", "-h"], []])
    func helpPrintsOnStandardOutputAndSucceeds(arguments: [String]) async {
        let capture = ConsoleCapture()
        let status = await ApexCommand.run(arguments: arguments, console: capture.console)
        #expect(status == 0)
        #expect(capture.output.contains("USAGE: apex"))
        #expect(capture.error.isEmpty)
    }

    @Test func helpTeachesWithExamples() async {
        let root = await CommandResult.apex("--help")
        #expect(root.output.contains("apex validate workflows/"))
        let validate = await CommandResult.apex("validate", "--help")
        #expect(validate.output.contains("Examples:"))
        #expect(validate.output.contains("apex validate --format github workflows/"))
        #expect(validate.output.contains("apex validate --format sarif workflows/"))
        #expect(validate.output.contains("apex validate - < draft.yaml"))
        // The list of values wraps after `github,`.
        #expect(validate.output.contains("(values: text, json, github,"))
        #expect(validate.output.contains("sarif; default: text)"))
        let schema = await CommandResult.apex("help", "schema")
        #expect(schema.output.contains("apex schema > apex-workflow-v1.schema.json"))
    }

    @Test func versionPrintsTheVersion() async {
        let result = await CommandResult.apex("--version")
        #expect(result.status == 0)
        #expect(result.output == ApexCommand.version + "\n")
    }

    @Test func thrownExitCodesPassThrough() {
        let capture = ConsoleCapture()
        #expect(ApexCommand.status(for: ExitCode(3), console: capture.console) == 3)
        #expect(ApexCommand.status(for: ExitCode.success, console: capture.console) == 0)
        #expect(capture.output.isEmpty && capture.error.isEmpty)
    }

    @Test func validationErrorsBecomeStatusTwo() {
        let capture = ConsoleCapture()
        #expect(ApexCommand.status(for: ValidationError("nope"), console: capture.console) == 2)
        #expect(capture.error.contains("nope"))
    }

    @Test func namedStatusesMatchTheSpec() {
        #expect(ExitCode.problemsFound.rawValue == 1)
        #expect(ExitCode.badInput.rawValue == 2)
    }
}
