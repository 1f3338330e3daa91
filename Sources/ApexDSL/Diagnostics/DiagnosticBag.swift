/// Collects the diagnostics of one file while it is parsed and validated.
///
/// It stops collecting past ``limit`` so that a pathological file (100,000 broken steps)
/// yields a readable report instead of a flood; ``truncatedCount`` tells how many were dropped.
public struct DiagnosticBag: Sendable {
    public static let limit = 200

    public let file: String
    public private(set) var diagnostics: [Diagnostic] = []
    public private(set) var truncatedCount = 0

    public init(file: String) {
        self.file = file
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public mutating func report(_ severity: Severity, _ rule: RuleID, _ message: String, at range: SourceRange) {
        guard diagnostics.count < Self.limit else {
            truncatedCount += 1
            return
        }
        diagnostics.append(Diagnostic(severity, rule, message, file: file, range: range))
    }

    public mutating func error(_ rule: RuleID, _ message: String, at range: SourceRange) {
        report(.error, rule, message, at: range)
    }

    public mutating func warning(_ rule: RuleID, _ message: String, at range: SourceRange) {
        report(.warning, rule, message, at: range)
    }

    public mutating func append(contentsOf other: DiagnosticBag) {
        for diagnostic in other.diagnostics {
            report(diagnostic.severity, diagnostic.rule, diagnostic.message, at: diagnostic.range)
        }
        truncatedCount += other.truncatedCount
    }

    /// The diagnostics in source order.
    public var sorted: [Diagnostic] { diagnostics.sorted(by: Diagnostic.sourceOrder) }
}
