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

    /// Whether the bag has reached ``limit`` and only counts what it is told from now on.
    public var isFull: Bool { diagnostics.count >= Self.limit }

    /// Adds a diagnostic. The message is built only when the bag keeps it, so that what a
    /// message costs (a did-you-mean over thousands of names) is paid at most ``limit`` times.
    public mutating func report(_ severity: Severity, _ rule: RuleID, _ message: @autoclosure () -> String, at range: SourceRange) {
        guard !isFull else {
            truncatedCount += 1
            return
        }
        diagnostics.append(Diagnostic(severity, rule, message(), file: file, range: range))
    }

    public mutating func error(_ rule: RuleID, _ message: @autoclosure () -> String, at range: SourceRange) {
        report(.error, rule, message(), at: range)
    }

    public mutating func warning(_ rule: RuleID, _ message: @autoclosure () -> String, at range: SourceRange) {
        report(.warning, rule, message(), at: range)
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
