import ApexDSL

/// A path `apex validate` was given but could not check: it does not exist, cannot be read,
/// or is a folder without workflow files. Any of them makes the command exit 2.
///
/// It is not a ``Diagnostic``: there is no file content to point into. It prints on standard
/// error in the diagnostics' style, `path: error: message`.
struct InputProblem: Error, Sendable, Equatable {
    /// The path as the user named it (or as found below a folder they named).
    var path: String
    /// What went wrong, a lowercase phrase such as `no such file or folder`.
    var message: String

    /// The line to print, without a newline.
    func rendered(style: TerminalStyle) -> String {
        style.bold(DiagnosticRenderer.printable(path) + ":") + " " + style.label(for: .error) + " "
            + DiagnosticRenderer.printable(message)
    }
}
