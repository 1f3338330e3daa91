import Foundation
import Testing

@testable import ApexDSL

/// Golden diagnostics: every `Fixtures/invalid/<name>.yaml` is validated and its diagnostics
/// compared with `<name>.diagnostics`; every `Fixtures/valid/*.yaml` and `workflows/*.yaml`
/// must have none, not even warnings. `APEX_RECORD_GOLDENS=1 swift test` rewrites the goldens.
@Suite struct FixtureTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func yamlFiles(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        // Test files (`*.test.yaml`, beside the examples) are not workflows.
        return names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.contains(".test.") }.sorted()
    }

    static let invalid = yamlFiles(in: fixtures.appendingPathComponent("invalid"))
    static let valid = yamlFiles(in: fixtures.appendingPathComponent("valid"))
    static let examples = yamlFiles(in: repository.appendingPathComponent("workflows"))

    /// `line:column: severity: message [rule]`, one a line, with fixture paths made relative.
    static func render(_ result: ValidationResult, folder: URL) -> String {
        result.diagnostics.map { diagnostic in
            let message = diagnostic.message.replacingOccurrences(of: folder.path + "/", with: "")
            return "\(diagnostic.range.start.line):\(diagnostic.range.start.column): \(diagnostic.severity.rawValue): \(message) [\(diagnostic.rule.rawValue)]"
        }.joined(separator: "\n") + "\n"
    }

    static func validate(_ name: String, in folder: URL) throws -> ValidationResult {
        let url = folder.appendingPathComponent(name)
        return WorkflowValidator.validate(data: try Data(contentsOf: url), path: url.path)
    }

    @Test(arguments: invalid)
    func invalidFixtureMatchesGolden(_ name: String) throws {
        let folder = Self.fixtures.appendingPathComponent("invalid")
        let result = try Self.validate(name, in: folder)
        let actual = Self.render(result, folder: folder)
        let golden = folder.appendingPathComponent((name as NSString).deletingPathExtension + ".diagnostics")
        if ProcessInfo.processInfo.environment["APEX_RECORD_GOLDENS"] == "1" {
            try actual.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(actual == expected, "\(name): diagnostics differ from \(golden.lastPathComponent)")
        #expect(result.hasErrors || result.hasWarnings, "\(name) should have a problem")
    }

    @Test(arguments: valid)
    func validFixtureHasNoDiagnostics(_ name: String) throws {
        let folder = Self.fixtures.appendingPathComponent("valid")
        let result = try Self.validate(name, in: folder)
        #expect(result.diagnostics.isEmpty, "\(name):\n\(Self.render(result, folder: folder))")
    }

    @Test(arguments: examples)
    func exampleWorkflowHasNoDiagnostics(_ name: String) throws {
        let folder = Self.repository.appendingPathComponent("workflows")
        let result = try Self.validate(name, in: folder)
        #expect(result.diagnostics.isEmpty, "\(name):\n\(Self.render(result, folder: folder))")
    }

    @Test func everyRuleHasAnInvalidFixture() throws {
        let folder = Self.fixtures.appendingPathComponent("invalid")
        var seen = Set<RuleID>()
        for name in Self.invalid { seen.formUnion(try Self.validate(name, in: folder).diagnostics.map(\.rule)) }
        // The file-level rules that fixtures cannot hold are covered by WorkflowSourceLoader tests.
        let coveredElsewhere: Set<RuleID> = [.fileTooLarge, .yamlTooDeep, .tooManySteps]
        let missing = Set(RuleID.allCases).subtracting(seen).subtracting(coveredElsewhere)
        #expect(missing.isEmpty, "rules without an invalid fixture: \(missing.map(\.rawValue).sorted())")
    }
}
