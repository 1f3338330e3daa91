extension DiagnosticRenderer {
    /// Renders one file's diagnostics as GitHub Actions workflow commands, one a line, which
    /// GitHub shows as annotations on the files of a pull request.
    ///
    /// ```
    /// ::error file=workflows/triage.yaml,line=14,col=11,endLine=14,endColumn=17,title=unknown-step::unknown step "drafts" in next
    /// ```
    ///
    /// Errors become `::error`, warnings `::warning`, notes `::notice`. `endColumn` is the
    /// column just past the range, as `end_column` in ``json(_:)``. A range over several lines
    /// gives `line` and `endLine` only, because GitHub drops columns when the lines differ. A
    /// capped file ends with a `::notice` saying how many problems were left out.
    ///
    /// - Parameter report: The file's diagnostics.
    /// - Returns: The command lines, each ending in a newline.
    public static func github(_ report: DiagnosticReport) -> String {
        var out = ""
        for diagnostic in report.diagnostics {
            out += github(diagnostic) + "\n"
        }
        if report.truncatedCount > 0 {
            out += "::notice file=\(escapeProperty(report.path))::"
                + escapeData(truncationNote(report.truncatedCount)) + "\n"
        }
        return out
    }

    /// One diagnostic as a workflow command, without a trailing newline.
    public static func github(_ diagnostic: Diagnostic) -> String {
        let command = switch diagnostic.severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "notice"
        }
        let start = diagnostic.range.start
        let end = diagnostic.range.end
        var properties = ["file=\(escapeProperty(diagnostic.file))", "line=\(start.line)"]
        if start.line == end.line {
            properties += ["col=\(start.column)", "endLine=\(end.line)", "endColumn=\(end.column)"]
        } else {
            properties += ["endLine=\(end.line)"]
        }
        properties.append("title=\(escapeProperty(diagnostic.rule.rawValue))")
        return "::\(command) \(properties.joined(separator: ","))::\(escapeData(diagnostic.message))"
    }

    /// GitHub's escaping of a command's message: `%`, CR and LF.
    public static func escapeData(_ text: String) -> String {
        escape(text, isProperty: false)
    }

    /// GitHub's escaping of a property value: that of the message, plus `:` and `,`.
    public static func escapeProperty(_ text: String) -> String {
        escape(text, isProperty: true)
    }

    private static func escape(_ text: String, isProperty: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case ":" where isProperty: out += "%3A"
            case "," where isProperty: out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
