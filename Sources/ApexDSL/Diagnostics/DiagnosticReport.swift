/// The diagnostics of one file, ready to render: what every ``DiagnosticRenderer`` format takes.
///
/// A report keeps the ``SourceFile`` when the file could be decoded, so the text format can
/// show the offending line under each diagnostic; a binary or non-UTF-8 file has none and its
/// diagnostics print without an excerpt.
///
/// ## Usage
///
/// ```swift
/// let report = DiagnosticReport(path: "triage.yaml", source: source, diagnostics: found)
/// print(DiagnosticRenderer.text(report, colors: false), terminator: "")
/// ```
public struct DiagnosticReport: Sendable {
    /// The file's path as the user named it.
    public var path: String
    /// The decoded text of the file, when it could be decoded.
    public var source: SourceFile?
    /// The diagnostics to show, in the order they are rendered (normally source order).
    public var diagnostics: [Diagnostic]
    /// How many further diagnostics were found but dropped (see ``DiagnosticBag/limit``).
    public var truncatedCount: Int

    /// Creates a report.
    ///
    /// - Parameters:
    ///   - path: The file's path as the user named it.
    ///   - source: The decoded text of the file, or nil when it could not be decoded.
    ///   - diagnostics: The diagnostics to show, in rendering order.
    ///   - truncatedCount: How many further diagnostics were dropped.
    public init(path: String, source: SourceFile?, diagnostics: [Diagnostic], truncatedCount: Int = 0) {
        self.path = path
        self.source = source
        self.diagnostics = diagnostics
        self.truncatedCount = truncatedCount
    }

    /// The number of shown diagnostics of `severity`.
    public func count(of severity: Severity) -> Int {
        diagnostics.reduce(0) { $1.severity == severity ? $0 + 1 : $0 }
    }
}
