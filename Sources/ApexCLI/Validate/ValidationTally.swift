import ApexDSL
import ArgumentParser

/// The running totals of `apex validate`: the summary line and the exit status.
///
/// The status follows docs/cli.md, "Exit status of `apex validate`": 2 when any path could not be
/// checked, whatever the files said (an unreadable input means the answer is incomplete, and CI
/// should not read "1" as "your workflow has errors" when a path was mistyped); otherwise 1 when a
/// file has errors, or warnings with `--strict`, or had diagnostics dropped past the cap (they may
/// be errors); otherwise 0.
struct ValidationTally {
    /// Whether warnings fail too (`--strict`).
    let strict: Bool
    private(set) var files = 0
    private(set) var errors = 0
    private(set) var warnings = 0
    private(set) var notes = 0
    private(set) var truncated = 0
    private(set) var problems = 0

    init(strict: Bool) {
        self.strict = strict
    }

    /// Counts a checked file.
    mutating func add(_ report: DiagnosticReport) {
        files += 1
        errors += report.count(of: .error)
        warnings += report.count(of: .warning)
        notes += report.count(of: .note)
        truncated += report.truncatedCount
    }

    /// Counts a path that could not be checked.
    mutating func addProblem() {
        problems += 1
    }

    /// The exit status for what was counted.
    var exitCode: ExitCode {
        if problems > 0 { return .badInput }
        if errors > 0 || truncated > 0 || (strict && warnings > 0) { return .problemsFound }
        return .success
    }

    /// `✓ 3 files valid`, or `3 files checked: 2 errors, 1 warning`, plus the paths that could
    /// not be checked.
    func summary(style: TerminalStyle) -> String {
        var counts: [String] = []
        if errors > 0 { counts.append(style.red(Self.count(errors, "error"))) }
        if warnings > 0 { counts.append(style.yellow(Self.count(warnings, "warning"))) }
        if notes > 0 { counts.append(Self.count(notes, "note")) }
        if truncated > 0 { counts.append("\(truncated) more not shown") }
        if counts.isEmpty && problems == 0 {
            return style.green("✓") + " " + Self.count(files, "file") + " valid"
        }
        var line = Self.count(files, "file") + " checked"
        if !counts.isEmpty {
            line += ": " + counts.joined(separator: ", ")
        } else if files > 0 {
            line += ", no problems"
        }
        if problems > 0 {
            line += "; " + style.red(Self.count(problems, "path")) + " could not be checked"
        }
        return line
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
