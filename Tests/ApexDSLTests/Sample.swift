@testable import ApexDSL

/// Builders of diagnostics and sources for the renderer tests.
enum Sample {
    static let path = "workflows/triage.yaml"

    static func make(
        _ severity: Severity = .error, _ rule: RuleID = .unknownStep, _ message: String = "unknown step \"drafts\" in next",
        from start: (Int, Int), to end: (Int, Int), file: String = path
    ) -> Diagnostic {
        Diagnostic(severity, rule, message, file: file, range: SourceRange(
            start: SourceLocation(line: start.0, column: start.1), end: SourceLocation(line: end.0, column: end.1)))
    }

    static func source(_ lines: [String], path: String = path) -> SourceFile {
        SourceFile(path: path, text: lines.joined(separator: "\n") + "\n")
    }
}
