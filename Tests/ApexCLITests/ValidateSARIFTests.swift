import ApexDSL
import Foundation
import Testing

@testable import ApexCLI

/// `apex validate --format sarif`: one SARIF 2.1.0 log, read back with JSONSerialization as a
/// code scanning tool would.
@Suite struct ValidateSARIFTests {
    @Test func describesTheToolAndEveryDiagnostic() async throws {
        let result = await CommandResult.apex("validate", "--format", "sarif", Fixture.unknownStep)
        #expect(result.status == 1)
        #expect(result.error.isEmpty)
        let log = try Log(result.output)
        #expect(log.root["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        #expect(log.root["version"] as? String == "2.1.0")
        #expect((log.root["runs"] as? [Any])?.count == 1)
        let driver = log.driver
        #expect(driver["name"] as? String == "apex")
        #expect(driver["version"] as? String == ApexCommand.version)
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == ["unknown-step", "unreachable-step"])
        #expect((rules[0]["shortDescription"] as? [String: Any])?["text"] as? String == RuleID.unknownStep.summary)
        #expect(log.run["columnKind"] as? String == "utf16CodeUnits")

        let results = log.results
        #expect(results.compactMap { $0["ruleId"] as? String } == ["unknown-step", "unreachable-step"])
        #expect(results.compactMap { $0["ruleIndex"] as? Int } == [0, 1])
        #expect(results.compactMap { $0["level"] as? String } == ["error", "warning"])
        let message = try #require((results[0]["message"] as? [String: Any])?["text"] as? String)
        #expect(message.contains("unknown step \"finsih\"") && message.contains("did you mean \"finish\"?"))
        let location = try Self.physicalLocation(of: results[0])
        let artifact = try #require(location["artifactLocation"] as? [String: Any])
        #expect(artifact["uri"] as? String == "file://" + Fixture.unknownStep)
        #expect(artifact["uriBaseId"] == nil)
        let region = try #require(location["region"] as? [String: Int])
        #expect(region == ["startLine": 8, "startColumn": 11, "endLine": 8, "endColumn": 17])
        #expect(try Self.physicalLocation(of: results[1])["region"] as? [String: Int]
            == ["startLine": 10, "startColumn": 9, "endLine": 10, "endColumn": 15])
        #expect(log.invocation["executionSuccessful"] as? Bool == true)
        #expect(log.invocation["toolExecutionNotifications"] == nil)
    }

    @Test func aRelativePathStaysRelativeToTheSourceRoot() async throws {
        let result = try await CommandResult.apex(
            "validate", "--format", "sarif", "--stdin-filename", "flows/x.yaml", "-", standardInput: Fixture.text(of: Fixture.unknownStep))
        #expect(result.status == 1)
        let artifact = try Self.physicalLocation(of: try Log(result.output).results[0])["artifactLocation"] as? [String: String]
        #expect(artifact == ["uri": "flows/x.yaml", "uriBaseId": "%SRCROOT%"])
    }

    @Test func aCleanFileHasNoResults() async throws {
        let result = await CommandResult.apex("validate", "--format", "sarif", Fixture.valid)
        #expect(result.status == 0)
        let log = try Log(result.output)
        #expect(log.results.isEmpty)
        #expect(result.output.contains(#""results": []"#))
        #expect((log.driver["rules"] as? [Any])?.isEmpty == true)
        #expect(log.invocation["executionSuccessful"] as? Bool == true)
    }

    @Test func strictFailsOnAWarningAsWithText() async throws {
        let relaxed = await CommandResult.apex("validate", "--format", "sarif", Fixture.unreachableStep)
        let strict = await CommandResult.apex("validate", "--format", "sarif", "--strict", Fixture.unreachableStep)
        #expect(relaxed.status == 0)
        #expect(strict.status == 1)
        #expect(try Log(strict.output).results.compactMap { $0["level"] as? String } == ["warning"])
    }

    @Test func anUnreadablePathIsANotificationAndExitsTwo() async throws {
        let missing = "/nonexistent/apex/flow.yaml"
        let result = await CommandResult.apex("validate", "--format", "sarif", Fixture.brokenSyntax, missing)
        #expect(result.status == 2)
        #expect(result.error == "\(missing): error: no such file or folder\n")
        let log = try Log(result.output)
        #expect(log.results.compactMap { $0["ruleId"] as? String } == ["yaml-syntax"])
        #expect(log.invocation["executionSuccessful"] as? Bool == false)
        let notifications = try #require(log.invocation["toolExecutionNotifications"] as? [[String: Any]])
        #expect(notifications.count == 1)
        #expect(notifications[0]["level"] as? String == "error")
        #expect((notifications[0]["message"] as? [String: Any])?["text"] as? String == "\(missing): no such file or folder")
        let artifact = try Self.physicalLocation(of: notifications[0])["artifactLocation"] as? [String: String]
        #expect(artifact == ["uri": "file://" + missing])
    }

    @Test func quietIsForTextOnly() async {
        let result = await CommandResult.apex("validate", "--quiet", "--format", "sarif", Fixture.valid)
        #expect(result.status == 2)
        #expect(result.error.contains("--quiet applies only to --format text; use the exit status with --format sarif"))
    }

    @Test func columnsCountUTF16CodeUnits() throws {
        // "😀" is one Unicode scalar (one column in diagnostics) but two UTF-16 code units.
        let source = SourceFile(path: "e.yaml", text: "a: \"😀 é ${{ nope }}\"\n")
        let range = SourceRange(start: SourceLocation(line: 1, column: 13), end: SourceLocation(line: 1, column: 17))
        let report = DiagnosticReport(
            path: "e.yaml", source: source,
            diagnostics: [Diagnostic(.error, .unknownContext, "unknown context \"nope\"", file: "e.yaml", range: range)])
        let document = SARIFReport.document([report], problems: [], toolVersion: "1")
        let region = document["runs"]?.arrayValue?.first?["results"]?.arrayValue?.first?["locations"]?.arrayValue?.first?[
            "physicalLocation"]?["region"]
        #expect(region == ["startLine": 1, "startColumn": 14, "endLine": 1, "endColumn": 18])
        // Before the emoji, past the end of the line, and without a decoded text, columns stay.
        #expect(SARIFReport.utf16Column(SourceLocation(line: 1, column: 5), in: source) == 5)
        #expect(SARIFReport.utf16Column(SourceLocation(line: 1, column: 30), in: source) == 31)
        #expect(SARIFReport.utf16Column(SourceLocation(line: 1, column: 12), in: nil) == 12)
    }

    @Test func pathsBecomeURIs() {
        #expect(SARIFReport.percentEncoded("workflows/a-b_c.~1.yaml") == "workflows/a-b_c.~1.yaml")
        #expect(SARIFReport.percentEncoded("my flows/<stdin>") == "my%20flows/%3Cstdin%3E")
        #expect(SARIFReport.percentEncoded("a:b#c?d%é.yaml") == "a%3Ab%23c%3Fd%25%C3%A9.yaml")
        #expect(SARIFReport.artifactLocation("/tmp/a b.yaml") == ["uri": "file:///tmp/a%20b.yaml"])
        #expect(SARIFReport.artifactLocation("./a.yaml") == ["uri": "./a.yaml", "uriBaseId": "%SRCROOT%"])
    }

    /// `locations[0].physicalLocation` of a result or notification.
    private static func physicalLocation(of object: [String: Any]) throws -> [String: Any] {
        let locations = try #require(object["locations"] as? [[String: Any]])
        return try #require(locations.first?["physicalLocation"] as? [String: Any])
    }
}

/// A SARIF log parsed with JSONSerialization, and the parts of its one run the tests read.
private struct Log {
    let root: [String: Any]
    let run: [String: Any]

    init(_ text: String) throws {
        root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        run = try #require((root["runs"] as? [[String: Any]])?.first)
    }

    var driver: [String: Any] { (run["tool"] as? [String: Any])?["driver"] as? [String: Any] ?? [:] }
    var results: [[String: Any]] { run["results"] as? [[String: Any]] ?? [] }
    var invocation: [String: Any] { (run["invocations"] as? [[String: Any]])?.first ?? [:] }
}
