/// A problem found in a workflow file. Diagnostics are data: parsing and validation return
/// every one they find and never throw them.
public struct Diagnostic: Sendable, Hashable {
    public var severity: Severity
    /// The stable kebab-case id of the rule that found the problem, printed as `[rule-id]`.
    public var rule: RuleID
    public var message: String
    /// The file the problem is in, as the user named it.
    public var file: String
    public var range: SourceRange

    public init(_ severity: Severity, _ rule: RuleID, _ message: String, file: String, range: SourceRange) {
        self.severity = severity
        self.rule = rule
        self.message = message
        self.file = file
        self.range = range
    }

    /// Orders diagnostics as a compiler prints them: by file, then position, then rule.
    public static func sourceOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if a.range.start != b.range.start { return a.range.start < b.range.start }
        if a.rule != b.rule { return a.rule.rawValue < b.rule.rawValue }
        return a.message < b.message
    }
}
