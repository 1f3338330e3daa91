extension DiagnosticRenderer {
    /// Renders the diagnostics of several files as one JSON document, with keys in a fixed order.
    ///
    /// The shape is a public contract (`apex validate --format json`, the HTTP API): fields may
    /// be added, never renamed or removed.
    ///
    /// ```json
    /// {
    ///   "files": [
    ///     {
    ///       "path": "workflows/triage.yaml",
    ///       "diagnostics": [
    ///         {
    ///           "severity": "error",
    ///           "rule": "unknown-step",
    ///           "message": "unknown step \"drafts\" in next; did you mean \"draft\"?",
    ///           "line": 14, "column": 11, "end_line": 14, "end_column": 17
    ///         }
    ///       ],
    ///       "truncated": 0
    ///     }
    ///   ],
    ///   "errors": 1,
    ///   "warnings": 0
    /// }
    /// ```
    ///
    /// - `files`: one entry per file checked, in the order given, including files without
    ///   problems (their `diagnostics` is empty).
    /// - `severity`: `error`, `warning` or `note`; `rule`: the rule id printed as `[rule-id]`.
    /// - `line`, `column`: 1-based start; `end_line`, `end_column`: the position just past
    ///   the range (equal to the start for a point). Columns count Unicode scalars.
    /// - `truncated`: how many further diagnostics of the file were dropped.
    /// - `errors`, `warnings`: totals over the shown diagnostics of every file.
    ///
    /// - Parameter reports: The files, in the order to list them.
    /// - Returns: The document; use `prettyJSON` or `compactJSON` for its text.
    public static func json(_ reports: [DiagnosticReport]) -> JSONValue {
        var errors = 0
        var warnings = 0
        var files: [JSONValue] = []
        files.reserveCapacity(reports.count)
        for report in reports {
            errors += report.count(of: .error)
            warnings += report.count(of: .warning)
            files.append([
                "path": .string(report.path),
                "diagnostics": .array(report.diagnostics.map(json)),
                "truncated": .int(report.truncatedCount),
            ])
        }
        return ["files": .array(files), "errors": .int(errors), "warnings": .int(warnings)]
    }

    /// One diagnostic as a JSON object (the elements of `diagnostics` in ``json(_:)``).
    public static func json(_ diagnostic: Diagnostic) -> JSONValue {
        let range = diagnostic.range
        return [
            "severity": .string(diagnostic.severity.rawValue),
            "rule": .string(diagnostic.rule.rawValue),
            "message": .string(diagnostic.message),
            "line": .int(range.start.line),
            "column": .int(range.start.column),
            "end_line": .int(range.end.line),
            "end_column": .int(range.end.column),
        ]
    }
}
