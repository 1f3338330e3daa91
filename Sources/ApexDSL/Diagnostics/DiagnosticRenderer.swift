/// Renders diagnostics for people and for machines, apart from the data they render.
///
/// Three formats, one per consumer:
///
/// - ``text(_:colors:)``: compiler style, `path:line:col: severity: message [rule-id]`
///   followed by the source line and a caret underlining the range, for terminals and logs.
/// - ``json(_:)``: a stable JSON document for scripts, editors and the HTTP API.
/// - ``github(_:)``: GitHub Actions workflow commands (`::error file=…::…`), which GitHub
///   turns into annotations on the pull request.
///
/// Renderers need only ``Diagnostic``, ``SourceFile`` and ``DiagnosticReport``; they never
/// read files or decide exit statuses.
///
/// ## Usage
///
/// ```swift
/// let report = DiagnosticReport(path: path, source: result.source, diagnostics: result.diagnostics)
/// let text = DiagnosticRenderer.text(report, colors: isTerminal)
/// let json = DiagnosticRenderer.json([report]).prettyJSON
/// let annotations = DiagnosticRenderer.github(report)
/// ```
public enum DiagnosticRenderer {
    /// `… and N more problems not shown`: the note added when a file's diagnostics were capped.
    public static func truncationNote(_ count: Int) -> String {
        "… and \(count) more \(count == 1 ? "problem" : "problems") not shown"
    }

    /// Replaces what a terminal would interpret rather than show (control characters other
    /// than tab, and bidirectional overrides) with U+FFFD, one scalar for one, so that a
    /// hostile file cannot move the cursor or reorder what is printed, and columns stay put.
    public static func printable(_ text: some StringProtocol) -> String {
        guard text.unicodeScalars.contains(where: isUnprintable) else { return String(text) }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(isUnprintable(scalar) ? "\u{FFFD}" : scalar)
        }
        return String(out)
    }

    private static func isUnprintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
