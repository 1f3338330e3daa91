import Foundation

/// What `apex validate` learns about one file.
public struct ValidationResult: Sendable {
    public var source: SourceFile?
    public var diagnostics: [Diagnostic]
    /// Diagnostics beyond ``DiagnosticBag/limit`` that were dropped.
    public var truncatedCount: Int

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    public var hasWarnings: Bool { diagnostics.contains { $0.severity == .warning } }
}

/// The entry point of validation: bytes in, every diagnostic out.
public enum WorkflowValidator {
    /// Validates the workflow in `data`, naming it `path` in diagnostics.
    public static func validate(data: Data, path: String) -> ValidationResult {
        let loaded = WorkflowSourceLoader.load(data: data, path: path)
        // TEMPORARY during development: parsing and rules are being added.
        return ValidationResult(source: loaded.source, diagnostics: loaded.diagnostics.sorted, truncatedCount: loaded.diagnostics.truncatedCount)
    }
}
