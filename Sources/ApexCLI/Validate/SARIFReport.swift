import ApexDSL

/// `apex validate --format sarif`: the diagnostics of every file checked as one SARIF 2.1.0 log
/// (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), the format that GitHub code scanning and
/// editors' SARIF viewers read (docs/cli.md, "`--format sarif`").
///
/// The log has one run:
///
/// - `tool.driver`: `apex`, its version, and the rules that occur in `results`, in the order they
///   first occur, each with its summary and its rationale (as in docs/rules.md).
/// - `results`: one per diagnostic, in the order of the files and of their diagnostics.
/// - `invocations[0]`: `executionSuccessful` is false when a path could not be checked; each such
///   path is a `toolExecutionNotifications` entry (level `error`), and so is a file whose
///   diagnostics were capped (level `warning`, "… and N more problems not shown").
///
/// **Positions.** SARIF lines and columns start at 1 and a region's `endColumn` is the column just
/// past it, as in ``SourceRange``. But SARIF counts columns in UTF-16 code units (the run says so
/// with `columnKind`, which tools that ignore it assume anyway), whereas diagnostics count Unicode
/// scalars; so a column after a character outside the Basic Multilingual Plane (an emoji) is one
/// more here than in the other formats. A file that is not UTF-8 has no text to count in: its
/// columns are left as they are.
///
/// **Paths.** A relative path is kept relative, percent-encoded, with `uriBaseId` `%SRCROOT%`:
/// relative to the folder `apex` ran in, which code scanning takes for the repository root. An
/// absolute path becomes a `file://` URI.
enum SARIFReport {
    /// Where the SARIF 2.1.0 schema is published; the log names it as its `$schema`.
    static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    /// The SARIF log for `reports`, the files checked, and `problems`, the paths that could not be.
    ///
    /// - Parameters:
    ///   - reports: The files checked, in the order to list their results.
    ///   - problems: The paths that could not be checked.
    ///   - toolVersion: The version of `apex` (``ApexCommand/version``).
    /// - Returns: The document; use `prettyJSON` for its text.
    static func document(_ reports: [DiagnosticReport], problems: [InputProblem], toolVersion: String) -> JSONValue {
        var rules: [JSONValue] = []
        var ruleIndex: [RuleID: Int] = [:]
        var results: [JSONValue] = []
        var notifications = problems.map { notification("error", "\($0.path): \($0.message)", path: $0.path) }
        for report in reports {
            for diagnostic in report.diagnostics {
                let index: Int
                if let known = ruleIndex[diagnostic.rule] {
                    index = known
                } else {
                    index = rules.count
                    ruleIndex[diagnostic.rule] = index
                    rules.append(rule(diagnostic.rule))
                }
                results.append(result(diagnostic, ruleIndex: index, path: report.path, source: report.source))
            }
            if report.truncatedCount > 0 {
                notifications.append(notification(
                    "warning", "\(report.path): \(DiagnosticRenderer.truncationNote(report.truncatedCount))", path: report.path))
            }
        }
        let invocation: JSONValue = notifications.isEmpty
            ? ["executionSuccessful": .bool(problems.isEmpty)]
            : ["executionSuccessful": .bool(problems.isEmpty), "toolExecutionNotifications": .array(notifications)]
        let run: JSONValue = [
            "tool": ["driver": ["name": "apex", "version": .string(toolVersion), "rules": .array(rules)]],
            "invocations": [invocation],
            "columnKind": "utf16CodeUnits",
            "results": .array(results),
        ]
        return ["$schema": .string(schema), "version": "2.1.0", "runs": [run]]
    }

    /// A `reportingDescriptor` for `rule`.
    private static func rule(_ rule: RuleID) -> JSONValue {
        [
            "id": .string(rule.rawValue),
            "shortDescription": ["text": .string(rule.summary)],
            "fullDescription": ["text": .string(rule.rationale)],
        ]
    }

    /// A `result` for `diagnostic`, found in the file `path` whose text is `source`.
    private static func result(_ diagnostic: Diagnostic, ruleIndex: Int, path: String, source: SourceFile?) -> JSONValue {
        let level = switch diagnostic.severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
        let range = diagnostic.range
        let region: JSONValue = [
            "startLine": .int(range.start.line),
            "startColumn": .int(utf16Column(range.start, in: source)),
            "endLine": .int(range.end.line),
            "endColumn": .int(utf16Column(range.end, in: source)),
        ]
        return [
            "ruleId": .string(diagnostic.rule.rawValue),
            "ruleIndex": .int(ruleIndex),
            "level": .string(level),
            // The message holds the "did you mean" suggestion, when there is one.
            "message": ["text": .string(diagnostic.message)],
            "locations": [["physicalLocation": ["artifactLocation": artifactLocation(path), "region": region]]],
        ]
    }

    /// A `notification` of `level` about the file or folder `path`.
    private static func notification(_ level: String, _ text: String, path: String) -> JSONValue {
        [
            "level": .string(level),
            "message": ["text": .string(text)],
            "locations": [["physicalLocation": ["artifactLocation": artifactLocation(path)]]],
        ]
    }

    /// The `artifactLocation` of `path`: relative to `%SRCROOT%`, or a `file://` URI when absolute.
    static func artifactLocation(_ path: String) -> JSONValue {
        path.hasPrefix("/")
            ? ["uri": .string("file://" + percentEncoded(path))]
            : ["uri": .string(percentEncoded(path)), "uriBaseId": "%SRCROOT%"]
    }

    /// The column of `location` in UTF-16 code units: its column in Unicode scalars plus one for
    /// every scalar before it on its line that UTF-16 encodes as two units. Columns past the end
    /// of the line (where a range may end) are one unit each.
    static func utf16Column(_ location: SourceLocation, in source: SourceFile?) -> Int {
        guard let source, location.column > 1 else { return location.column }
        let before = source.scalars(ofLine: location.line, columns: 1..<location.column)
        return location.column + before.count { $0.value > 0xFFFF }
    }

    /// `path` as a URI path: its UTF-8 bytes percent-encoded, except RFC 3986's unreserved
    /// characters, its sub-delimiters, `@` and `/`. `:` is encoded too, so that a relative path
    /// such as `a:b.yaml` does not read as a URI with the scheme `a`.
    static func percentEncoded(_ path: String) -> String {
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        var out = String.UnicodeScalarView()
        for byte in path.utf8 {
            let scalar = Unicode.Scalar(byte)
            if isKept(scalar) {
                out.append(scalar)
            } else {
                out.append(contentsOf: ["%", hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
        return String(out)
    }

    private static func isKept(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", ".", "_", "~", "/", "@": true
        case "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=": true
        default: false
        }
    }
}
