extension DiagnosticRenderer {
    /// Renders one file's diagnostics as a compiler does, each followed by its source line and
    /// a caret, then a note when some were dropped.
    ///
    /// ```
    /// workflows/triage.yaml:14:11: error: unknown step "drafts" in next; did you mean "draft"? [unknown-step]
    ///    14 |     next: drafts
    ///       |           ^~~~~~
    /// ```
    ///
    /// - Parameters:
    ///   - report: The file's diagnostics and, when available, its text.
    ///   - colors: Whether to add ANSI colours (only for a terminal).
    /// - Returns: The rendered lines, each ending in a newline; empty when there is nothing to say.
    public static func text(_ report: DiagnosticReport, colors: Bool = false) -> String {
        var out = ""
        for diagnostic in report.diagnostics {
            out += text(diagnostic, source: report.source, colors: colors)
        }
        if report.truncatedCount > 0 {
            let style = TerminalStyle(enabled: colors)
            out += style.bold(printable(report.path) + ":") + " " + style.label(for: .note) + " "
                + truncationNote(report.truncatedCount) + "\n"
        }
        return out
    }

    /// Renders one diagnostic: the `path:line:col: severity: message [rule-id]` line and, when
    /// `source` has the line, an excerpt with a caret.
    ///
    /// The caret line underlines the range: `^` under its first column and `~` under the rest;
    /// a range over several lines is underlined to the end of its first line, a point gets a
    /// lone `^`. Tabs before the range are repeated in the caret line so the caret lines up
    /// however wide the terminal draws them. Columns count Unicode scalars, so a caret after
    /// double-width characters (CJK, emoji) sits a little to the left.
    ///
    /// - Parameters:
    ///   - diagnostic: The diagnostic to render.
    ///   - source: The file's text, or nil to print the header line only.
    ///   - colors: Whether to add ANSI colours.
    /// - Returns: Two or three lines, each ending in a newline.
    public static func text(_ diagnostic: Diagnostic, source: SourceFile?, colors: Bool = false) -> String {
        let style = TerminalStyle(enabled: colors)
        let start = diagnostic.range.start
        var out = style.bold("\(printable(diagnostic.file)):\(start.line):\(start.column):") + " "
            + style.label(for: diagnostic.severity) + " " + style.bold(printable(diagnostic.message))
            + " [\(diagnostic.rule.rawValue)]\n"
        if let line = source?.line(start.line) {
            out += excerpt(of: line, range: diagnostic.range, style: style)
        }
        return out
    }

    /// The source line with its number in a gutter, and the caret line under it.
    static func excerpt(of line: Substring, range: SourceRange, style: TerminalStyle) -> String {
        let number = String(range.start.line)
        let width = max(4, number.count)
        let gutter = String(repeating: " ", count: 1 + width - number.count) + number + " |"
        let emptyGutter = String(repeating: " ", count: 1 + width) + " |"
        let scalars = Array(line.unicodeScalars)
        var out = gutter + (scalars.isEmpty ? "" : " " + printable(line)) + "\n"

        let startOffset = max(0, range.start.column - 1)
        var padding = String.UnicodeScalarView()
        for offset in 0..<startOffset {
            padding.append(offset < scalars.count && scalars[offset] == "\t" ? "\t" : " ")
        }
        let restOfLine = scalars.count - startOffset
        let length: Int
        if range.end.line == range.start.line {
            length = min(range.end.column - range.start.column, restOfLine)
        } else {
            length = restOfLine
        }
        let marker = "^" + String(repeating: "~", count: max(0, length - 1))
        out += emptyGutter + " " + String(padding) + style.green(marker) + "\n"
        return out
    }
}
