import ApexDSL

/// Why a workflow could not be compiled. The compiler only takes workflows that validate without
/// errors; given another, it throws this instead of producing a broken plan.
public enum CompileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Validation reported these errors (the diagnostics of severity `error`).
    case invalidWorkflow([Diagnostic])
    /// The workflow breaks an invariant that validation guarantees (it was not validated, or was
    /// changed after validation): what is wrong, and where.
    case malformed(String, SourceRange)

    public var description: String {
        switch self {
        case .invalidWorkflow(let diagnostics):
            let first = diagnostics.first.map { ": \($0.range.start): \($0.message) [\($0.rule.rawValue)]" } ?? ""
            return "the workflow has \(diagnostics.count) validation error(s)\(first)"
        case .malformed(let message, let range):
            return "cannot compile the workflow: \(message) (at \(range.start))"
        }
    }
}
