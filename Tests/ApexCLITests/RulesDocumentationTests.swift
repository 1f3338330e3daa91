import ApexDSL
import Foundation
import Testing

/// `docs/rules.md` is generated from the rule catalogue and the golden invalid fixtures, so
/// its examples and outputs are always what `apex validate` prints.
/// `APEX_RECORD_GOLDENS=1 swift test` rewrites it.
@Suite struct RulesDocumentationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/ApexDSLTests/Fixtures/invalid")

    @Test func rulesDocumentMatchesTheFixtures() throws {
        let generated = try Self.generate()
        let url = Self.repository.appendingPathComponent("docs/rules.md")
        if ProcessInfo.processInfo.environment["APEX_RECORD_GOLDENS"] == "1" {
            try generated.write(to: url, atomically: true, encoding: .utf8)
        }
        let current = try String(contentsOf: url, encoding: .utf8)
        #expect(current == generated, "docs/rules.md is out of date: run APEX_RECORD_GOLDENS=1 swift test")
    }

    /// The smallest fixture showing each rule, with its source and its output.
    static func generate() throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: fixtures.path).filter { $0.hasSuffix(".yaml") }.sorted()
        var examples: [RuleID: (name: String, text: String, output: String)] = [:]
        for name in names {
            let url = fixtures.appendingPathComponent(name)
            let data = try Data(contentsOf: url)
            // Binary and mis-encoded fixtures cannot be shown in a text document.
            guard let text = String(data: data, encoding: .utf8), !data.contains(0) else { continue }
            let result = WorkflowValidator.validate(data: data, path: url.path)
            let report = DiagnosticReport(path: name, source: result.source.map { SourceFile(path: name, text: $0.text) }, diagnostics: result.diagnostics.map {
                var diagnostic = $0
                diagnostic.file = name
                diagnostic.message = diagnostic.message.replacingOccurrences(of: fixtures.path + "/", with: "")
                return diagnostic
            })
            let shown = text.split(separator: "\n", omittingEmptySubsequences: false).filter { $0 != "# editor-schema: reject" }.joined(separator: "\n")
            for rule in Set(result.diagnostics.map(\.rule)) {
                if let existing = examples[rule], existing.text.count <= shown.count { continue }
                examples[rule] = (name, shown, DiagnosticRenderer.text(report))
            }
        }
        var out = """
            # Rules of `apex validate`

            Every diagnostic names the rule that found it, as `[rule-id]` at the end of the line (and
            `"rule"` in `--format json`). Rule ids are stable: CI scripts may rely on them. This page is
            generated from the rule catalogue and the golden fixtures in
            `Tests/ApexDSLTests/Fixtures/invalid/` (a test keeps it up to date), so every example output
            below is exactly what `apex validate` prints.

            | rule | checks |
            |---|---|

            """
        for rule in RuleID.allCases {
            out += "| [`\(rule.rawValue)`](#\(rule.rawValue)) | \(rule.summary) |\n"
        }
        for rule in RuleID.allCases {
            out += "\n## `\(rule.rawValue)`\n\n\(rule.summary.prefix(1).uppercased() + rule.summary.dropFirst()).\n\n\(rule.rationale)\n"
            guard let example = examples[rule] else {
                out += "\n(No example is shown: the case cannot be printed as text or is too large for a page; tests cover it.)\n"
                continue
            }
            out += "\n`\(example.name)`:\n\n```yaml\n\(example.text.hasSuffix("\n") ? example.text : example.text + "\n")```\n\n```console\n$ apex validate \(example.name)\n\(example.output)```\n"
        }
        return out
    }
}
